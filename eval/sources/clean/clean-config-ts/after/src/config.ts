function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export const config = {
  port: intFromEnv('PORT', 8080),
  requestTimeoutMs: intFromEnv('REQUEST_TIMEOUT_MS', 10_000),
};
