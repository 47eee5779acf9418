/**
 * User settings: one interface with its defaults, stored in storage.sync, upgraded by migrations.
 * Pure data and pure functions; the storage access lives in settings-store.ts.
 */
import type { EngineKind } from '../engine/engine';

export type Depth = 'quick' | 'thorough';

export interface Settings {
  version: number;
  engine: EngineKind | null;
  modelId: string | null;
  depth: Depth;
  language: string;
  customInstructions: string;
  ignorePatterns: string[];
  maxModelCalls: number;
  idleUnloadMinutes: number;
  modelHosts: { webllm: string; wllama: string };
  showMarkers: boolean;
  verifyFindings: boolean;
  localServerUrl: string;
}

export const DEFAULT_SETTINGS: Settings = {
  /** Schema version; bump it and add a migration when the shape changes. */
  version: 1,
  /** null until the user (or the first-run choice) picks one. */
  engine: null,
  /** Model id within the engine's catalog, or a custom model URL for the CPU engine. */
  modelId: null,
  depth: 'thorough',
  /** Output language for the review ("English", "Deutsch", ...). */
  language: 'English',
  customInstructions: '',
  /** Extra glob patterns to skip, one per entry. */
  ignorePatterns: [],
  /** Upper bound on model calls per review; the coverage says when it cut a review short. */
  maxModelCalls: 40,
  /** Unload an idle engine after this many minutes. */
  idleUnloadMinutes: 10,
  /** Base URL of a mirror per engine, for self-hosting (empty: the default host). */
  modelHosts: { webllm: '', wllama: '' },
  /** Show finding markers on the diff. */
  showMarkers: true,
  /** Thorough depth re-checks each finding with a short call and drops those the model rejects. */
  verifyFindings: true,
  /** The "Local server" engine's OpenAI-compatible base URL: http://localhost or http://127.0.0.1 only. */
  localServerUrl: 'http://127.0.0.1:11434/v1',
};

