/**
 * Options page: where the loaded model runs right now ("GPU · llama.cpp" or "CPU", and why), as
 * the engine host reports it. Asks without waking the host: nothing loaded, nothing to say.
 */
import { useEffect, useState } from 'preact/hooks';
import type { HostStatus } from '../../protocol';
import { ask } from '../../messaging/ask';

const POLL_MS = 3000;

export function describePlacement(status: HostStatus | undefined): string | null {
  const placement = status?.placement;
  if (!status?.engine?.loaded || !placement) return null;
  const layers = placement.layersTotal > 0 ? `, ${placement.layersOffloaded} of ${placement.layersTotal} layers on the GPU` : '';
  const reason = placement.reason ? ` ${placement.reason}` : '';
  return `The loaded model runs on: ${placement.label}${layers}.${reason}`;
}

export function EnginePlacementLine() {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    const poll = () => {
      // Undefined when no host runs (nothing answered): then there is nothing to say.
      ask({ kind: 'host/status' })
        .then((status: HostStatus | undefined) => !stopped && setText(describePlacement(status)))
        .catch(() => !stopped && setText(null));
    };
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  return text ? (
    <p class="lpr-muted lpr-small" data-testid="options-engine-placement">
      {text}
    </p>
  ) : null;
}
