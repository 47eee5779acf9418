/**
 * Asks the engine host a model-manager question from an extension page or the panel.
 *
 * In Chrome the host is the offscreen document, which may not exist yet: `host/wake` makes the
 * background create it, then the query goes out by runtime.sendMessage and the document answers
 * (the background ignores these kinds). In Firefox the background page is the host and answers both.
 */
import { ask } from '../../messaging/ask';
import type { HostWakeResponse, ModelQuery, ModelQueryResponse, RequestOf } from '../../protocol';

export type AskHost = <K extends ModelQuery['kind']>(query: RequestOf<K>) => Promise<ModelQueryResponse[K]>;

export class HostQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostQueryError';
  }
}

let awake: Promise<void> | null = null;

async function wake(): Promise<void> {
  // Undefined when nothing answered: the background is gone (the extension was reloaded).
  const answer: HostWakeResponse | undefined = await ask({ kind: 'host/wake' });
  if (!answer) throw new HostQueryError('The extension did not answer (it may have been reloaded). Reload this page.');
  if (!answer.ok) throw new HostQueryError(answer.message);
}

async function send<K extends ModelQuery['kind']>(query: RequestOf<K>): Promise<ModelQueryResponse[K]> {
  const answer: ModelQueryResponse[K] | undefined = await ask<K>(query);
  if (answer === undefined) throw new HostQueryError('The engine did not answer.');
  return answer;
}

export const askHost: AskHost = async <K extends ModelQuery['kind']>(query: RequestOf<K>) => {
  // One wake per page is enough while the document lives; a failed query wakes again.
  awake ??= wake().catch((error: unknown) => {
    awake = null;
    throw error;
  });
  await awake;
  try {
    return await send(query);
  } catch {
    // The document went away between wake and query (idle close, crash): wake it once more.
    awake = null;
    await wake();
    return send(query);
  }
};
