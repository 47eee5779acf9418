/**
 * The content script's Markdown lexer: asks the background (which holds marked) and caches the
 * answers. Requests made in the same tick travel together, so a review's texts cost one message.
 */
import type { MarkdownToken } from '../markdown/tokens';
import type { MarkdownLexer } from '../ui/markdown';
import { ask } from './extension-services';

const CACHE_LIMIT = 500;

export function createBackgroundLexer(): MarkdownLexer {
  const cache = new Map<string, Promise<MarkdownToken[] | null>>();
  let batch: Array<{ source: string; resolve: (tokens: MarkdownToken[] | null) => void }> = [];

  function flush(): void {
    const sent = batch;
    batch = [];
    ask({ kind: 'markdown/lex', sources: sent.map((item) => item.source) }).then(
      (answer) => sent.forEach((item, i) => item.resolve(answer.tokens[i] ?? null)),
      () => sent.forEach((item) => item.resolve(null)),
    );
  }

  return (source: string) => {
    const known = cache.get(source);
    if (known) return known;
    const promise = new Promise<MarkdownToken[] | null>((resolve) => {
      if (batch.length === 0) queueMicrotask(flush);
      batch.push({ source, resolve });
    });
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(source, promise);
    return promise;
  };
}
