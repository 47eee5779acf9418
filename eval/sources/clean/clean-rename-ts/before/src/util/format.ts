export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtPercent(x: number): string {
  return `${fmt(Math.round(x * 100))}%`;
}
