/**
 * Where the engine host keeps the measured speeds (per engine and model) between reviews.
 * The offscreen document has no extension storage, but it has the extension origin's
 * localStorage, which outlives the document; anything unreadable starts from the priors.
 */
import { EMPTY_SPEED_STATE, parseSpeedState, type SpeedState } from '../engine/speed-estimate';

export interface SpeedStore {
  read(): SpeedState;
  write(state: SpeedState): void;
}

const KEY = 'local-pr-review:speeds';

export function localSpeedStore(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): SpeedStore {
  let memory: SpeedState = EMPTY_SPEED_STATE;
  return {
    read() {
      try {
        const raw = storage?.getItem(KEY);
        return raw ? parseSpeedState(JSON.parse(raw)) : memory;
      } catch {
        return memory;
      }
    },
    write(state) {
      memory = state;
      try {
        storage?.setItem(KEY, JSON.stringify(state));
      } catch {
        /* storage full or unavailable: keep it for this session only */
      }
    },
  };
}

export function memorySpeedStore(initial: SpeedState = EMPTY_SPEED_STATE): SpeedStore {
  let state = initial;
  return { read: () => state, write: (s) => void (state = s) };
}
