import { describe, expect, it } from 'vitest';
import {
  BACKGROUND_TO_CONTENT_KINDS,
  BACKGROUND_TO_HOST_KINDS,
  BACKGROUND_TO_TAB_KINDS,
  CONTENT_TO_BACKGROUND_KINDS,
  HOST_TO_BACKGROUND_KINDS,
  MODEL_FILE_KINDS,
  MODEL_QUERY_KINDS,
  ONE_SHOT_KINDS,
  type BackgroundToHost,
  type ModelFileMessage,
  type ContentToBackground,
  type ModelQuery,
  type OneShotRequest,
} from './protocol';
import {
  BACKGROUND_TO_CONTENT_SCHEMA,
  BACKGROUND_TO_HOST_SCHEMA,
  BACKGROUND_TO_TAB_SCHEMA,
  CONTENT_TO_BACKGROUND_SCHEMA,
  HOST_TO_BACKGROUND_SCHEMA,
  MODEL_FILE_SCHEMA,
  MODEL_QUERY_SCHEMA,
  ONE_SHOT_SCHEMA,
  checkMessage,
  failureText,
  type SchemaTable,
} from './protocol-schema';
import { DEFAULT_SETTINGS } from './shared/settings';
import { makeDiff, makeFile } from './review/testing/diff-builder';
import type { Review } from './model/review';

const settings = { ...DEFAULT_SETTINGS, engine: 'wllama' as const, modelId: 'm' };
const diff = makeDiff([makeFile('src/a.ts', [['+const a = 1;']])]);
const review: Review = {
  summary: 's',
  risks: ['r'],
  changes: ['c'],
  walkthrough: [{ path: 'src/a.ts', summary: 'x' }],
  findings: [{ id: 'f', file: 'src/a.ts', line: 1, severity: 'major', category: 'bug', title: 't', explanation: 'e', quote: 'q' }],
  coverage: [{ path: 'src/a.ts', coverage: 'full' }],
  truncated: false,
  stats: { modelCalls: 1, promptTokens: 1, completionTokens: 1, elapsedMs: 1, dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 } },
};
const ref = { owner: 'o', repo: 'r', number: 1 };

/** One real message of every kind the extension checks at a boundary (typed by the protocol). */
type Samples<U extends { kind: string }> = { [K in U['kind']]: Extract<U, { kind: K }> };
const CONTENT: Samples<ContentToBackground> = {
  'review/start': { kind: 'review/start', request: { diff, settings } },
  'followup/start': { kind: 'followup/start', request: { question: 'why?', finding: review.findings[0]!, review, diff, settings } },
  'review/cancel': { kind: 'review/cancel' },
};
const HOST: Samples<BackgroundToHost> = {
  'session/start': { kind: 'session/start', session: '1:1', request: { diff, settings } },
  'session/followup': { kind: 'session/followup', session: '1:1', request: { question: 'why?', review, diff, settings } },
  'session/cancel': { kind: 'session/cancel', session: '1:1' },
};
const MODELS: Samples<ModelQuery> = {
  'models/list': { kind: 'models/list', settings },
  'models/download': { kind: 'models/download', engine: 'wllama', modelId: 'm', settings },
  'models/cancel-download': { kind: 'models/cancel-download', engine: 'wllama', modelId: 'm' },
  'models/downloads': { kind: 'models/downloads' },
  'models/delete': { kind: 'models/delete', engine: 'wllama', modelId: 'm', settings },
  'models/storage': { kind: 'models/storage' },
  'models/import-file': { kind: 'models/import-file', importId: 'i', name: 'm.gguf', size: 5 },
  'engine/capabilities': { kind: 'engine/capabilities' },
  'engine/unload': { kind: 'engine/unload' },
};
const MODEL_FILE: Samples<ModelFileMessage> = {
  'model-file/want': { kind: 'model-file/want', importId: 'i' },
  'model-file/data': { kind: 'model-file/data', importId: 'i', file: new Blob(['GGUF']) },
  'model-file/progress': { kind: 'model-file/progress', importId: 'i', written: 4, total: 4 },
};
const ONE_SHOT: Samples<OneShotRequest> = {
  'options/open': { kind: 'options/open' },
  'keepalive': { kind: 'keepalive' },
  'settings/get': { kind: 'settings/get' },
  'settings/save': { kind: 'settings/save', patch: { depth: 'quick' } },
  'markdown/lex': { kind: 'markdown/lex', sources: ['# hi'] },
  'reviews/save': { kind: 'reviews/save', key: { ...ref, headSha: 'h', modelId: 'm' }, settings: { depth: 'quick', language: 'English', customInstructions: '', ignorePatterns: [] }, review },
  'reviews/latest': { kind: 'reviews/latest', owner: 'o', repo: 'r', number: 1, headSha: 'h' },
  'reviews/list': { kind: 'reviews/list' },
  'reviews/delete': { kind: 'reviews/delete', id: 'x' },
  'reviews/follow-up': { kind: 'reviews/follow-up', owner: 'o', repo: 'r', number: 1, headSha: 'h', followUp: { question: 'q', answer: 'a', askedAt: 1 } },
  'reviews/export': { kind: 'reviews/export' },
  'reviews/markdown': { kind: 'reviews/markdown', review, dismissedIds: ['f'], modelName: 'm', headSha: 'h' },
};

const TABLES: Array<[string, SchemaTable<never> | Record<string, unknown>, readonly string[], Record<string, Record<string, unknown>> | null]> = [
  ['content → background', CONTENT_TO_BACKGROUND_SCHEMA, CONTENT_TO_BACKGROUND_KINDS, CONTENT],
  ['background → content', BACKGROUND_TO_CONTENT_SCHEMA, BACKGROUND_TO_CONTENT_KINDS, null],
  ['background → host', BACKGROUND_TO_HOST_SCHEMA, BACKGROUND_TO_HOST_KINDS, HOST],
  ['host → background', HOST_TO_BACKGROUND_SCHEMA, HOST_TO_BACKGROUND_KINDS, null],
  ['model queries', MODEL_QUERY_SCHEMA, MODEL_QUERY_KINDS, MODELS],
  ['one-shot requests', ONE_SHOT_SCHEMA, ONE_SHOT_KINDS, ONE_SHOT],
  ['model file channel', MODEL_FILE_SCHEMA, MODEL_FILE_KINDS, MODEL_FILE],
  ['background → tab', BACKGROUND_TO_TAB_SCHEMA, BACKGROUND_TO_TAB_KINDS, null],
];

describe('protocol schemas', () => {
  for (const [name, table, kinds] of TABLES) {
    it(`${name}: every kind of the protocol has a check, and no check is for a kind that does not exist`, () => {
      expect(Object.keys(table).sort()).toEqual([...kinds].sort());
    });
  }

  for (const [name, table, , samples] of TABLES) {
    if (!samples) continue;
    it(`${name}: a real message of every kind passes its check`, () => {
      for (const message of Object.values(samples)) expect(checkMessage(table as SchemaTable<never>, message), String(message.kind)).toEqual({ ok: true, message });
    });

    it(`@adversarial ${name}: each field of each kind, given the wrong type, is refused with its name`, () => {
      for (const message of Object.values(samples)) {
        for (const [field, value] of Object.entries(message)) {
          if (field === 'kind') continue;
          const wrong = typeof value === 'number' ? 'not a number' : 42;
          const result = checkMessage(table as SchemaTable<never>, { ...message, [field]: wrong });
          expect(result.ok, `${String(message.kind)}.${field}`).toBe(false);
          if (!result.ok) expect(result.problem).toMatch(new RegExp(`^${String(message.kind)}: ${field}\\b`));
        }
      }
    });
  }

  it('@adversarial unknown kinds, no kind, and non-objects are refused with a sentence', () => {
    expect(checkMessage(ONE_SHOT_SCHEMA, { kind: 'reviews/drop-all' })).toEqual({ ok: false, problem: 'unknown message kind "reviews/drop-all"' });
    expect(checkMessage(ONE_SHOT_SCHEMA, { kind: '__proto__' })).toMatchObject({ ok: false });
    expect(checkMessage(ONE_SHOT_SCHEMA, { kind: 'toString' })).toMatchObject({ ok: false });
    for (const raw of [null, undefined, 42, 'reviews/list', [], { kind: 7 }]) expect(checkMessage(ONE_SHOT_SCHEMA, raw)).toEqual({ ok: false, problem: 'the message has no kind' });
  });

  it('@adversarial nested parts are checked too: a diff line with a wrong kind, settings with a wrong type', () => {
    const badLine = structuredClone(CONTENT['review/start']);
    (badLine.request.diff.files[0]!.hunks[0]!.lines[0] as { kind: string }).kind = 'exploit';
    expect(checkMessage(CONTENT_TO_BACKGROUND_SCHEMA, badLine)).toMatchObject({ ok: false, problem: expect.stringContaining('request.diff.files[0].hunks[0].lines[0].kind must be one of') });
    const badSettings = { ...MODELS['models/list'], settings: { ...settings, ignorePatterns: 'docs/**' } };
    expect(checkMessage(MODEL_QUERY_SCHEMA, badSettings)).toMatchObject({ ok: false, problem: 'models/list: settings.ignorePatterns must be a list' });
  });

  it('failure text keeps a deliberate message and never passes on TypeError text', () => {
    expect(failureText('reviews/save', new Error('The review store is full.'))).toBe('The review store is full.');
    const typeError = failureText('reviews/save', new TypeError("Cannot read properties of undefined (reading 'owner')"));
    expect(typeError).not.toMatch(/TypeError|Cannot read/);
    expect(typeError).toContain('"reviews/save"');
  });
});
