/**
 * The engine host's answers to runtime messages, written once for both hosts: Chrome's offscreen
 * document and Firefox's background page (src/background/in-process-link.ts). Each host only
 * adapts the result to its listener API. Requests are checked against their schema before a
 * handler sees them; a malformed one gets a sentence back, not a TypeError.
 */
import { MODEL_QUERY_KINDS, hasKind, type BenchCpuEngineRequest, type BenchCpuEngineResponse, type HostStatusRequest, type HostWake, type HostWakeResponse, type HostWakeUp, type ModelQuery } from '../protocol';
import { MODEL_QUERY_SCHEMA, checkMessage, failureText, malformedMessage } from '../protocol-schema';
import type { EngineHost } from './engine-host';
import type { ModelService } from './model-service';

export interface HostMessageOptions {
  host: Pick<EngineHost, 'status'>;
  models: Pick<ModelService, 'handle'>;
  /** Firefox: the background page is the host, so it answers `host/wake` itself (in Chrome the background does). */
  answersWake: boolean;
  /** Chrome: the background asks a host that lost its Port to connect again. */
  onReconnect?: () => void;
  /** e2e build only: measures the CPU engine inside the host (`npm run bench`). */
  bench?: (request: BenchCpuEngineRequest) => Promise<BenchCpuEngineResponse>;
}

/**
 * Returns a function answering one message: a promise of the answer, or undefined when the message
 * is not the host's to answer (it belongs to another listener) or wants no answer.
 */
export function createHostMessageHandler(options: HostMessageOptions): (raw: unknown, senderId: string | undefined, ownId: string) => Promise<unknown> | undefined {
  return (raw, senderId, ownId) => {
    // Only the extension's own pages and scripts talk to the host.
    if (senderId !== ownId) return undefined;
    if (hasKind<HostWakeUp>(raw, ['host/reconnect'])) {
      options.onReconnect?.();
      return undefined;
    }
    if (options.answersWake && hasKind<HostWake>(raw, ['host/wake'])) return Promise.resolve({ ok: true } satisfies HostWakeResponse);
    if (hasKind<HostStatusRequest>(raw, ['host/status'])) return Promise.resolve(options.host.status());
    if (hasKind<ModelQuery>(raw, MODEL_QUERY_KINDS)) {
      const checked = checkMessage(MODEL_QUERY_SCHEMA, raw);
      if (!checked.ok) return Promise.resolve({ ok: false, malformed: true, message: malformedMessage(checked.problem) });
      return options.models.handle(checked.message).catch((error: unknown) => ({ ok: false, message: failureText(raw.kind, error) }));
    }
    if (options.bench && hasKind<BenchCpuEngineRequest>(raw, ['bench/cpu-engine'])) return options.bench(raw);
    return undefined;
  };
}
