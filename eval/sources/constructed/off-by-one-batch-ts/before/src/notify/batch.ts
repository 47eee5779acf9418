import { send } from './transport';

export async function notifyAll(userIds: string[], message: string): Promise<void> {
  for (const id of userIds) {
    await send(id, message);
  }
}
