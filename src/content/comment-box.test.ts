import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { findCommentBox, insertIntoComment } from './comment-box';

function page(body: string) {
  const { document } = parseHTML(`<!doctype html><html><body>${body}</body></html>`);
  const events: string[] = [];
  document.addEventListener('input', () => events.push('input'), true);
  document.addEventListener('submit', () => events.push('submit'), true);
  return { document, events };
}

describe('insertIntoComment', () => {
  it('fills the classic new-comment box, tells the page, and never submits', () => {
    const { document, events } = page('<form><textarea name="comment[body]" id="new_comment_field"></textarea><button type="submit">Comment</button></form>');
    const result = insertIntoComment(document, '## Pull request review');
    expect(result).toEqual({ ok: true, appended: false });
    expect(document.querySelector('textarea')!.value).toBe('## Pull request review');
    expect(events).toEqual(['input']);
  });

  it('keeps what the user already typed and adds the review after it', () => {
    const { document } = page('<textarea id="new_comment_field">LGTM, with notes:  \n</textarea>');
    expect(insertIntoComment(document, 'review')).toEqual({ ok: true, appended: true });
    expect(document.querySelector('textarea')!.value).toBe('LGTM, with notes:\n\nreview');
  });

  it('finds the React composer, and skips disabled or read-only boxes', () => {
    const { document } = page(
      '<textarea name="comment[body]" disabled></textarea><div data-testid="markdown-editor-comment-composer"><textarea id="react"></textarea></div>',
    );
    expect(findCommentBox(document)?.id).toBe('react');
  });

  it('says where to find a comment box when the page has none', () => {
    const { document } = page('<div id="files"></div>');
    const result = insertIntoComment(document, 'review');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('Conversation tab');
  });
});
