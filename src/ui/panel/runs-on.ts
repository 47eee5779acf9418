/**
 * Where a review runs, as the panel says it. For the Local server engine this matters most: the
 * diff leaves the browser (for a server on this machine), so the panel names it and the model.
 */
import type { Settings } from '../../shared/settings';

export function runsOnLabel(settings: Pick<Settings, 'engine' | 'modelId'> | null | undefined): string | undefined {
  if (settings?.engine === 'localserver' && settings.modelId) return `Local server · ${settings.modelId}`;
  return undefined;
}
