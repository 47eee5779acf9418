export async function benchCpuSweep(_: { big: boolean }): Promise<unknown> { return {}; }
