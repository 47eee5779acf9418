import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings';
import { runReview } from './pipeline';
import { ScriptedEngine, type Responder } from '../engine/scripted-engine';
import { filesInRequest, plausibleResponder, requestKind } from './testing/scripts';
import { makeDiff, makeFile } from './testing/diff-builder';
import { parseVerifyAnswer, rejects } from './verify';

const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ignorePatterns: [], ...over });

// Two files, one finding each (the plausible reviewer flags each file's first added line).
const diff = makeDiff([
  makeFile('src/a.ts', [[' const keep = 0;', '+const a = items[items.length];', '+return a;']]),
  makeFile('src/b.ts', [['+export const b = 2;']]),
]);

/** Rejects the finding on src/a.ts; answers the rest as the plausible reviewer. */
const rejectA: Responder = (r) => {
  if (requestKind(r) !== 'verify') return plausibleResponder(r);
  const user = r.messages[1]!.content;
  return user.includes('### src/a.ts') ? '{"real": false, "confidence": 0.9}' : plausibleResponder(r);
};

async function review(respond: Responder, s = settings()) {
  const engine = new ScriptedEngine({ respond });
  const r = await runReview({ diff, settings: s, engine }, () => undefined, new AbortController().signal);
  return { r, engine };
}

describe('verify pass', () => {
  it('re-checks each finding with a short call showing its hunk, and drops the ones the model rejects', async () => {
    const { r, engine } = await review(rejectA);
    const verify = engine.requests.filter((q) => requestKind(q) === 'verify');
    expect(verify).toHaveLength(2);
    expect(verify.every((q) => q.maxTokens === 64)).toBe(true);
    const a = verify.find((q) => q.messages[1]!.content.includes('### src/a.ts'))!;
    expect(a.messages[1]!.content).toContain('2+const a = items[items.length];');
    expect(a.messages[1]!.content).toContain('Check src/a.ts');
    expect(r.findings.map((f) => f.file)).toEqual(['src/b.ts']);
    expect(r.notes).toContain('The verify pass dropped 1 finding(s) the model judged not to be real defects.');
    expect(r.stats.verify).toMatchObject({ checked: 2, rejected: 1, unchecked: 0, calls: 2 });
    expect(r.stats.verify!.promptTokens).toBeGreaterThan(100);
    expect(r.stats.verify!.completionTokens).toBeGreaterThan(0);
  });

  it('keeps a finding when the check cannot be read or is unsure', async () => {
    const { r } = await review((q) => (requestKind(q) === 'verify' ? (q.messages[1]!.content.includes('src/a.ts') ? 'I think so?' : '{"real": false, "confidence": 0.3}') : plausibleResponder(q)));
    expect(r.findings).toHaveLength(2);
    expect(r.stats.verify).toMatchObject({ checked: 2, rejected: 0 });
  });

  it('is off in quick depth and when the setting is off', async () => {
    for (const s of [settings({ depth: 'quick' }), settings({ verifyFindings: false })]) {
      const { r, engine } = await review(rejectA, s);
      expect(engine.requests.some((q) => requestKind(q) === 'verify')).toBe(false);
      expect(r.findings).toHaveLength(2);
      expect(r.stats.verify).toBeUndefined();
    }
  });

  it('stays within the call limit, keeping the summary call, and says what it could not check', async () => {
    // 2 files in one chunk: 1 map call; limit 2 leaves 1 verify call (no summary needed for one part).
    const { r, engine } = await review(rejectA, settings({ maxModelCalls: 2 }));
    expect(engine.requests.length).toBe(2);
    expect(r.stats.verify).toMatchObject({ checked: 1, unchecked: 1 });
    expect(r.notes?.some((n) => n.includes('1 finding(s) were not re-checked'))).toBe(true);
    expect(filesInRequest(engine.requests[0]!)).toEqual(['src/a.ts', 'src/b.ts']);
  });

  it('reads the verdicts small models write', () => {
    expect(parseVerifyAnswer('```json\n{"real": false, "confidence": 0.8}\n```')).toEqual({ real: false, confidence: 0.8 });
    expect(parseVerifyAnswer("{real: 'no', confidence: 90}")).toEqual({ real: false, confidence: 0.9 });
    expect(parseVerifyAnswer('{"real": true}')).toEqual({ real: true, confidence: 1 });
    expect(parseVerifyAnswer('{"findings": []}')).toBeNull();
    expect(rejects({ real: false, confidence: 0.5 })).toBe(true);
    expect(rejects({ real: false, confidence: 0.49 })).toBe(false);
    expect(rejects(null)).toBe(false);
  });
});
