/**
 * Asks the engine host a model-manager question from an extension page or the panel.
 *
 * In Chrome the host is the offscreen document, which may not exist yet: `host/wake` makes the
 * background create it, then the query goes out by runtime.sendMessage and the document answers
 * (the background ignores these kinds). In Firefox the background page is the host and answers both.
 */
import { extensionApi } from '../../shared/extension-api';
import type { HostWake, HostWakeResponse, ModelQuery, ModelQueryResponse } from '../../protocol';

export type AskHost = <Q extends ModelQuery>(query: Q) => Promise<ModelQueryResponse[Q['kind']]>;

export class HostQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostQueryError';
  }
}

let awake: Promise<void> | null = null;

async function wake(): Promise<void> {
  const message: HostWake = { kind: 'host/wake' };
  const answer = (await extensionApi().runtime.sendMessage(message)) as HostWakeResponse | undefined;
  if (!answer) throw new HostQueryError('The extension did not answer (it may have been reloaded). Reload this page.');
  if (!answer.ok) throw new HostQueryError(answer.message);
}

async function send<Q extends ModelQuery>(query: Q): Promise<ModelQueryResponse[Q['kind']]> {
  const answer: unknown = await extensionApi().runtime.sendMessage(query);
  if (answer === undefined) throw new HostQueryError('The engine did not answer.');
  // The host answers each kind with that kind's response (see engine host model-service).
  return answer as ModelQueryResponse[Q['kind']];
}

export const askHost: AskHost = async <Q extends ModelQuery>(query: Q) => {
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
