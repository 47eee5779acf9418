/**
 * @real-inference The CPU engine never prefills the same prefix twice: inside the built
 * extension's engine host, two calls that share a system prompt (as every map call of a review
 * does) make llama.cpp reuse the first call's KV cache for the shared part, and the engine reports
 * it (`cachedPromptTokens`). The count is checked against the same model's own tokenizer (native
 * llama.cpp through node-llama-cpp, which runs here).
 *
 * Run alone with: npx playwright test e2e/prompt-cache.spec.ts --workers=1
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCpuEngineRequest, BenchCpuEngineResponse } from '../src/protocol';
import { chatMl } from '../scripts/bench/cpu-vs-native';
import { benchPrompt } from '../src/engine/wllama-bench';
import { NativeLlama } from '../scripts/bench/native-llama';
import { expect, launchExtension, test } from './support/extension';
import { startModelServer } from './support/model-server';
import { writeTinyGguf } from './support/tiny-gguf';

const DIST = process.env.LPR_E2E_DIST ?? 'dist/e2e';
const SYSTEM = 'You review code changes. Report each finding as JSON with the file, the line and a short message.';

test('@real-inference a second call with the same system prompt reuses its KV cache and prefills only the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lpr-prompt-cache-'));
  const model = join(dir, 'tiny.gguf');
  await writeTinyGguf(model, { nCtx: 4096 });
  const native = await NativeLlama.open(model, { threads: 1, contextSize: 512 });
  // The part the two prompts share, by the model's own tokenizer: BOS, the system turn, the user
  // turn's header, and whatever the two user texts ("run0 …" and "run1 …") share.
  const first = native.tokenize(chatMl(SYSTEM, benchPrompt(0, 150)));
  const second = native.tokenize(chatMl(SYSTEM, benchPrompt(1, 150)));
  let sharedTokens = 0;
  while (first[sharedTokens] === second[sharedTokens]) sharedTokens++;
  const systemTokens = native.countTokens(chatMl(SYSTEM, 'x').split('x<|im_end|>')[0]!);
  await native.close();
  const server = await startModelServer({ root: dir });
  const ext = await launchExtension({ dist: DIST });
  try {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
    const request: BenchCpuEngineRequest = {
      kind: 'bench/cpu-engine',
      modelUrl: `${server.url}tiny.gguf`,
      nThreads: 1,
      nCtx: 2048,
      // A first call, then one whose user text differs from its first word on.
      bench: { promptWords: 150, runs: 1, maxTokens: 4, system: SYSTEM },
    };
    const answer = (await page.evaluate(async (r) => {
      await chrome.runtime.sendMessage({ kind: 'host/wake' });
      return chrome.runtime.sendMessage(r);
    }, request)) as BenchCpuEngineResponse;
    if (!answer.ok) throw new Error(answer.message);
    const [run] = answer.result.runs;
    expect(run!.promptTokens).toBeGreaterThan(sharedTokens + 100);
    expect(sharedTokens).toBeGreaterThanOrEqual(systemTokens);
    // The shared prefix came from the cache (llama.cpp may re-evaluate its last token); the new
    // user text was prefilled.
    expect(run!.cachedPromptTokens).toBeGreaterThanOrEqual(sharedTokens - 1);
    expect(run!.cachedPromptTokens).toBeLessThanOrEqual(sharedTokens);
  } finally {
    await ext.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
