/**
 * Options page: where the loaded model runs right now ("GPU · llama.cpp" or "CPU", and why), as
 * the engine host reports it. Asks without waking the host: nothing loaded, nothing to say.
 * Asks when the page opens, is shown again or focused, and when `refreshKey` changes (a download
 * or a load in this page started or ended), never on a timer.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HostStatus } from '../../protocol';
import { ask } from '../../messaging/ask';
import { useOnPageReturn } from '../page-return';

export function describePlacement(status: HostStatus | undefined): string | null {
  const placement = status?.placement;
  if (!status?.engine?.loaded || !placement) return null;
  const layers = placement.layersTotal > 0 ? `, ${placement.layersOffloaded} of ${placement.layersTotal} layers on the GPU` : '';
  const reason = placement.reason ? ` ${placement.reason}` : '';
  return `The loaded model runs on: ${placement.label}${layers}.${reason}`;
}

export function EnginePlacementLine({ refreshKey = 0 }: { refreshKey?: number }) {
  const [text, setText] = useState<string | null>(null);
  const live = useRef(true);
  const look = () => {
    // Undefined when no host runs (nothing answered): then there is nothing to say.
    ask({ kind: 'host/status' })
      .then((status: HostStatus | undefined) => live.current && setText(describePlacement(status)))
      .catch(() => live.current && setText(null));
  };
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  useEffect(look, [refreshKey]);
  useOnPageReturn(look);
  return text ? (
    <p class="lpr-muted lpr-small" data-testid="options-engine-placement">
      {text}
    </p>
  ) : null;
}
