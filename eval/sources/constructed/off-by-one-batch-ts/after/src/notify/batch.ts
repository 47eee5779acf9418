import { send } from './transport';

const BATCH_SIZE = 50;

export function toBatches<T>(items: T[], size = BATCH_SIZE): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    batches.push(items.slice(start, start + size - 1));
  }
  return batches;
}

export async function notifyAll(userIds: string[], message: string): Promise<void> {
  for (const batch of toBatches(userIds)) {
    await Promise.all(batch.map((id) => send(id, message)));
  }
}
