export function formatScore(s) {
  return `${s.name}: ${s.points}`;
}
