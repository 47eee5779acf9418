/**
 * The short map answer format through the real pipeline (scripted engine: no model runs here, the
 * answers are what a model would write): findings it names by file name, or not at all, and by
 * the first words of a line land on the right file and line; bad answers end as they did with
 * the long format.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewEvent } from '../model/review';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings';
import { runReview } from './pipeline';
import { makeDiff, makeFile } from './testing/diff-builder';
import { ScriptedEngine, type Responder } from '../engine/scripted-engine';
import { requestKind } from './testing/scripts';

const settings: Settings = { ...DEFAULT_SETTINGS, ignorePatterns: [], verifyFindings: false };

const api = makeFile('src/api/client.ts', [
  { oldStart: 1, newStart: 1, lines: [' import { get } from "./http";', '+export async function fetchUser(id: string) {', '+  const res = await get(`/users/${id}`);', '+  return res.json();', '+}'] },
]);
const web = makeFile('src/web/client.ts', [['+export function render(user) {', '+  document.body.innerHTML = user.name;', '+}']]);
const util = makeFile('src/util.ts', [['+export const retries = 3;', '+export const timeoutMs = 0;']]);

const REDUCE = JSON.stringify({ summary: 'Adds a user client.', risks: [], changes: [] });

async function review(files: ReturnType<typeof makeFile>[], mapAnswer: string) {
  const respond: Responder = (r) => (requestKind(r) === 'map' ? mapAnswer : REDUCE);
  const engine = new ScriptedEngine({ respond, contextWindow: 8192 });
  const events: ReviewEvent[] = [];
  const result = await runReview({ diff: makeDiff(files), settings, engine }, (e) => events.push(e), new AbortController().signal);
  expect(engine.requests.filter((r) => requestKind(r) === 'map')).toHaveLength(1);
  return { result, events };
}

const short = (findings: object[], summary: string[] = []) => JSON.stringify({ summary, findings });

describe('the short map format through runReview', () => {
  it('anchors findings named by file name, by the folder where two files share a name, and by the first words of the line', async () => {
    const { result, events } = await review(
      [api, web, util],
      short(
        [
          { file: 'api/client.ts', line: 3, kind: 'major bug', title: 'No status check', why: 'A 404 body is parsed as a user.', quote: 'const res = await' },
          { file: 'web/client.ts', line: 2, kind: 'critical security', title: 'XSS', why: 'The name is set as HTML.', fix: 'textContent', quote: 'document.body' },
          { file: 'util.ts', line: 9, kind: 'minor bug', title: 'Zero timeout', why: 'Requests time out at once.', quote: 'export const timeoutMs' },
        ],
        ['api/client.ts: adds fetchUser', 'web/client.ts: renders a user', 'util.ts: adds retry settings'],
      ),
    );
    expect(result.findings.map((f) => [f.file, f.line, f.severity, f.category, f.quote])).toEqual([
      ['src/web/client.ts', 2, 'critical', 'security', '  document.body.innerHTML = user.name;'],
      ['src/api/client.ts', 3, 'major', 'bug', '  const res = await get(`/users/${id}`);'],
      ['src/util.ts', 2, 'minor', 'bug', 'export const timeoutMs = 0;'],
    ]);
    expect(result.findings[0]).toMatchObject({ explanation: 'The name is set as HTML.', suggestion: 'textContent' });
    expect(result.stats.dropped).toMatchObject({ notInDiff: 0, ambiguous: 0, unparseable: 0 });
    // Each file's summary line reached the panel and the walkthrough under its full path.
    const lines = events.flatMap((e) => (e.type === 'file-summary' ? [[e.path, e.summary]] : []));
    expect(lines).toEqual([
      ['src/api/client.ts', 'adds fetchUser'],
      ['src/web/client.ts', 'renders a user'],
      ['src/util.ts', 'adds retry settings'],
    ]);
    expect(result.walkthrough.find((w) => w.path === 'src/util.ts')?.summary).toBe('adds retry settings');
    expect(events.filter((e) => e.type === 'finding')).toHaveLength(3);
  });

  it('puts findings without a file on a one-file part’s file, and finds the file by the quote in a part of several', async () => {
    const one = await review([api], short([{ line: 4, kind: 'minor maintainability', title: 'Untyped result', why: 'any leaks out.', quote: 'return res' }], ['adds fetchUser']));
    expect(one.result.findings.map((f) => [f.file, f.line])).toEqual([['src/api/client.ts', 4]]);
    expect(one.result.walkthrough.find((w) => w.path === 'src/api/client.ts')?.summary).toBe('adds fetchUser');

    const several = await review([api, util], short([{ line: 1, kind: 'nit style', title: 'Magic number', why: 'Name it.', quote: 'export const retries' }]));
    expect(several.result.findings.map((f) => [f.file, f.line])).toEqual([['src/util.ts', 1]]);
    // `export` starts lines of both files: nothing says which, so the finding is dropped, and counted.
    const unclear = await review([api, util], short([{ line: 1, kind: 'nit style', title: 'Which one?', why: '?', quote: 'export' }]));
    expect(unclear.result.findings).toEqual([]);
    expect(unclear.result.stats.dropped.ambiguous).toBe(1);
  });

  it('ends an unreadable or cut-off short answer exactly as it ended a long one', async () => {
    const longFinding = { file: 'src/util.ts', line: 1, severity: 'minor', category: 'style', title: 'Magic number', explanation: 'Name it.', quote: 'export const retries = 3;' };
    const shortFinding = { line: 1, kind: 'minor style', title: 'Magic number', why: 'Name it.', quote: 'export const retries' };
    const cutAfterFirst = (first: object, second: object) => {
      const text = JSON.stringify({ summary: ['src/util.ts: settings'], findings: [first, second] });
      return text.slice(0, text.lastIndexOf('"title"'));
    };
    const outcomes = [];
    for (const [first, second] of [
      [longFinding, { ...longFinding, line: 2, title: 'Zero timeout' }],
      [shortFinding, { ...shortFinding, line: 2, title: 'Zero timeout' }],
    ] as const) {
      const { result } = await review([util], cutAfterFirst(first, second));
      outcomes.push({ findings: result.findings.map((f) => [f.file, f.line, f.title]), dropped: result.stats.dropped, notes: result.notes ?? [] });
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[1]!.findings).toEqual([['src/util.ts', 1, 'Magic number']]);
    expect(outcomes[1]!.dropped.unparseable).toBe(1);

    const garbage = await review([util], '{"summry": oops, kind: major');
    expect(garbage.result.findings).toEqual([]);
    expect(garbage.result.notes?.some((n) => /answer for src\/util\.ts could not be read; those files have no findings/.test(n))).toBe(true);
  });
});
