/**
 * The one way a context asks another for an answer (runtime.sendMessage): the request's kind
 * decides the reply type, `Reply[K]` in src/protocol.ts. Works in the content script (no polyfill,
 * see extension-api.ts) and in extension pages alike.
 */
import type { Reply, RequestOf, Request } from '../protocol';
import { extensionApi } from '../shared/extension-api';

/**
 * Sends `request` and resolves to its answer. The answer is taken as `Reply[K]` on trust, here
 * and only here: it comes from our own background or engine host, whose handlers are typed per
 * kind (src/messaging/handlers.ts). Resolves to undefined only when nothing answered at all
 * (the extension was reloaded, or no context handles the kind), which callers that can meet it check.
 */
export async function ask<K extends Request['kind']>(request: RequestOf<K>): Promise<Reply[K]> {
  return (await extensionApi().runtime.sendMessage(request)) as Reply[K];
}
