export async function benchPrefixReuse(): Promise<unknown> { return {}; }
