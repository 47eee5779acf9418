export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatPercent(x: number): string {
  return `${formatNumber(Math.round(x * 100))}%`;
}
