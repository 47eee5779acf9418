export function formatScore(s) {
  return `${s.name}: ${s.points}`;
}

export function topPoints(scores, n = 10) {
  const points = scores.map((s) => s.points);
  points.sort();
  return points.reverse().slice(0, n);
}
