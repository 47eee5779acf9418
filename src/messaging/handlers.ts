/**
 * Handlers typed per message kind: a table with one handler for each kind of a request union,
 * each handler receiving its own request and returning its own reply (`Reply[K]`), so neither the
 * handlers nor their callers cast. A kind added to the protocol without its handler does not compile.
 */
import type { Reply, Request, RequestOf } from '../protocol';

export type Handlers<K extends Request['kind']> = { [P in K]: (request: RequestOf<P>) => Promise<Reply[P]> | Reply[P] };

/** Runs the handler of the request's kind. */
export async function dispatch<K extends Request['kind']>(handlers: Handlers<K>, request: RequestOf<K>): Promise<Reply[K]> {
  const handler: (request: RequestOf<K>) => Promise<Reply[K]> | Reply[K] = handlers[request.kind];
  return handler(request);
}
