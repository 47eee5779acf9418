/**
 * Copies text for the panel's copy buttons. The async Clipboard API needs a focused document and
 * may be refused on a page; the old copy command on a hidden textarea is the fallback.
 */
export async function copyText(doc: Document, text: string): Promise<boolean> {
  try {
    await doc.defaultView?.navigator.clipboard.writeText(text);
    return true;
  } catch {
    return legacyCopy(doc, text);
  }
}

function legacyCopy(doc: Document, text: string): boolean {
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.cssText = 'position: fixed; top: -1000px; left: -1000px; opacity: 0;';
  const previous = doc.activeElement;
  doc.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = doc.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  // Focus goes back where it was (an element that can take it: HTML or SVG).
  if (previous && 'focus' in previous && typeof previous.focus === 'function') previous.focus();
  return ok;
}
