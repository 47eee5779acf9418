/**
 * What published text may say about the model: its name, never where it came from. A custom
 * model is chosen by URL (an internal mirror's address) or as a local file ("local:<name>", or a
 * path), and a Copy as Markdown or Insert into comment would otherwise put that address on a
 * public pull request.
 */

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function lastSegment(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? '';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The model's name for people: a file name without its folder, host or query; a catalog id as it is. */
export function publicModelName(modelId: string): string {
  let id = modelId.trim();
  if (SCHEME.test(id)) {
    try {
      id = safeDecode(lastSegment(new URL(id).pathname));
    } catch {
      id = lastSegment(id.replace(SCHEME, '').split(/[?#]/)[0] ?? '');
    }
  } else {
    id = id.replace(/^local:/i, '').split(/[?#]/)[0] ?? '';
    id = lastSegment(id);
  }
  id = id.replace(/\.gguf$/i, '');
  // Whatever is left must not read as an address.
  return id.replace(/\s+/g, '-').replace(/[`<>]/g, '').slice(0, 120) || 'a local model';
}

/** Host names and addresses that must not appear in published text. */
export function privateSources(input: { modelId?: string | null; modelHosts?: Record<string, string> }): string[] {
  const out = new Set<string>();
  const addUrl = (value: string) => {
    const v = value.trim();
    if (!v) return;
    out.add(v);
    try {
      const url = new URL(SCHEME.test(v) ? v : `https://${v}`);
      if (url.host) out.add(url.host);
      if (url.origin && url.origin !== 'null') out.add(url.origin);
    } catch {
      /* not a URL: the value itself is still removed */
    }
  };
  const id = input.modelId?.trim() ?? '';
  if (SCHEME.test(id)) addUrl(id);
  else if (/[\\/]/.test(id)) {
    out.add(id);
    out.add(id.replace(/^local:/i, ''));
  }
  for (const host of Object.values(input.modelHosts ?? {})) addUrl(host);
  return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

/** Replaces every private source in `text` (longest first, so a URL goes before its host). */
export function scrubSources(text: string, sources: readonly string[]): string {
  let out = text;
  for (const source of sources) out = out.split(source).join('(model source removed)');
  return out;
}
