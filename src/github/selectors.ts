/**
 * Every CSS selector local-pr-review uses on GitHub, in one place.
 *
 * GitHub changes its markup often and serves two diff layouts at once (classic server-rendered
 * `/files`, React `/changes`), so where the layouts differ a selector is a list with one
 * commented entry per layout. Hashed CSS-module classes (`Foo-module__bar__Xy12z`) are matched
 * by prefix (`[class*="Foo-module__bar"]`) because the hash changes with every GitHub release.
 * Facts behind these: the project's notes on GitHub's diff markup and the saved pages in e2e/fixtures/github.
 */

/** Join a selector list for querySelector(All). */
export const anyOf = (list: readonly string[]): string => list.join(', ');

// ---- page identity ---------------------------------------------------------------------------

/** Where a saved page says its own URL (used by the CLI; the content script has location). */
export const pageUrlMeta = [
  'link[rel="canonical"]', // href
  'meta[property="og:url"]', // content
] as const;

/**
 * The selected PR tab: saved PR pages carry the Conversation URL in og:url even on the
 * Files tab, so the selected tab tells which tab it is.
 */
export const selectedPrTab = [
  'a.tabnav-tab.selected[href*="/pull/"]', // classic PR tabs
  'nav a[aria-current="page"][href*="/pull/"]', // React PR tabs (underline nav)
  '[role="tablist"] a[aria-selected="true"][href*="/pull/"]', // React tab list variant
] as const;

// ---- classic "Files changed" view and classic commit pages ------------------------------------

export const classic = {
  /** The diff list container (an id: found without scanning the page). */
  filesContainer: '#files',
  /**
   * One file. `.js-file` (or the id) leaves out comment code blocks, which are `.file` too
   * (`.blob-wrapper.data.file`).
   */
  file: [
    'copilot-diff-entry > .file', // 2025+: wrapped per file
    '.file.js-file', // 2019–2025
    '.file[id^="diff-"]', // older builds without js-file
  ],
  fileEntryWrapper: 'copilot-diff-entry[data-file-path]',
  fileHeader: '.file-header',
  /** The part under the header (diff table or a placeholder). */
  fileBody: '.js-file-content',
  /** Placeholders shown instead of a table (matched on the file body's text). */
  placeholderText: {
    loadDiff: ['Load diff', 'Large diffs are not rendered by default'],
    binary: ['Binary file not shown'],
    renamedOnly: ['File renamed without changes'],
    modeOnly: ['File mode changed'],
    generated: ['Some generated files are not rendered by default'],
  },
  /** A rename, inside the file header: a link whose title is `old → new`. */
  renameTitle: 'a[title*=" → "]',
  diffTable: 'table.diff-table',
  splitTableClass: 'file-diff-split',
  // Classes read while walking rows (tested with classList, not selectors, for speed).
  // Review threads (`tr.inline-comments`) have none of them, so they are skipped.
  hunkCellClass: 'blob-code-hunk',
  codeInnerClass: 'blob-code-inner',
  additionClass: 'blob-code-addition',
  deletionClass: 'blob-code-deletion',
  contextClass: 'blob-code-context',
  /** "\ No newline at end of file": a marker after the line's text in its code cell. */
  noNewlineClass: 'no-nl-marker',
  /** Files after the first few arrive later through these. */
  progressiveLoader: ['include-fragment.js-diff-progressive-loader', '.js-diff-progressive-loader'],
  /** One big file: "Load diff". */
  entryLoader: ['include-fragment.js-diff-entry-loader', '.js-diff-entry-loader', 'button.load-diff-button', '.js-diff-load-container'],
  /** PR comparison SHAs ride on these URLs (`show_toc?base_sha=…&sha2=…`, `…?base_commit_oid=…&end_commit_oid=…`). */
  comparisonUrl: ['[src*="sha2="]', '[data-url*="end_commit_oid="]', '[src*="end_commit_oid="]'],
  /** Classic commit page: the parent link and the commit's own SHA. */
  commitParent: 'a.sha[data-hotkey="p"]',
  commitSha: '.sha-block .sha',
} as const;

// ---- React view (`/pull/N/changes`, React commit pages) ---------------------------------------

export const react = {
  /** Where the file regions live, when the page says (an id lookup, so cheap); else the whole page. */
  listContainer: '#diff-content-parent',
  /** One file's region. The PR view gives it `id="diff-<sha256(path)>"`, the commit view does not. */
  fileRegion: [
    '[role="region"][id^="diff-"]', // PR /changes
    '[role="region"]', // commit pages (filtered by fileHeader / diffTable below)
  ],
  fileHeader: [
    '[class*="DiffFileHeader-module__diff-file-header"]', // 2025–2026
    '[class*="Diff-module__diffHeaderWrapper"]', // its wrapper
  ],
  /** The path, wrapped in U+200E marks. */
  filePath: [
    'h3[class*="DiffFileHeader-module__file-name"] a code', // 2026
    'h3 a[href^="#diff-"] code',
    'h3 a[href^="#diff-"]',
  ],
  /** `aria-label="Diff for: <path>"`. */
  diffTable: ['table[aria-label^="Diff for:"]', 'table[data-diff-anchor]'],
  diffTableLabelPrefix: 'Diff for:',
  hunkCellClass: 'diff-hunk-cell',
  textCellClass: 'diff-text-cell',
  textInnerClass: 'diff-text-inner',
  additionClass: 'addition',
  deletionClass: 'deletion',
  /** "\ No newline at end of file": a marker after the line's text in its text cell. */
  noNewlineClass: 'no-newline-at-end-of-file',
  /** Placeholders shown instead of a table (matched on the region's text). */
  placeholderText: {
    loadDiff: ['Load Diff', 'Load diff'],
    binary: ['Binary file not shown', 'Binary file modified', 'Binary file added', 'Binary file removed'],
    renamedOnly: ['File renamed without changes'],
    modeOnly: ['File mode changed'],
    generated: ['Some generated files are not rendered by default'],
    tooLarge: ['Large diffs are not rendered by default', 'This diff is too large', 'File too large'],
  },
} as const;

/** The React app's data island; read defensively (field names are not a public contract). */
export const embeddedData = ['script[data-target="react-app.embeddedData"]'] as const;

/** Both layouts label the no-newline marker with this text (aria-label or title). */
export const noNewlineLabel = 'No newline at end of file';

// ---- where the extension puts its Review button ------------------------------------------------

/**
 * Anchors for the Review button, best first. The content script appends to the first match.
 */
export const reviewButtonAnchors = [
  '.gh-header-show .gh-header-actions', // classic PR header (2019–2025)
  '.gh-header-actions', // classic PR header, any page
  '[data-component="PH_Actions"]', // React PR / commit page header (Primer PageHeader actions slot)
  '[class*="prc-PageHeader-Actions"]', // same slot by its hashed class
  '[class*="StickyPullRequestHeader"]', // React condensed PR header while scrolling
  '.pr-review-tools', // classic Files tab toolbar
  '#toc .toc-diff-stats', // classic commit page summary
  '.commit-meta', // classic commit page header
] as const;

// ---- the review experience: comment box, folded files, finding markers --------------------------

/** GitHub's comment box for a new PR comment, best first ("Insert into comment" fills it). */
export const commentBox = [
  'textarea#new_comment_field', // classic Conversation tab
  'form.js-new-comment-form textarea[name="comment[body]"]', // classic, by its form
  'textarea[name="comment[body]"]', // classic, any comment form
  '[data-testid="markdown-editor-comment-composer"] textarea', // React composer (2025+)
  'textarea[aria-label="Markdown value"]', // React MarkdownEditor textarea
  'textarea[placeholder="Use Markdown to format your comment"]', // React composer placeholder
] as const;

/** A file whose diff is folded away: clicking the toggle unfolds it. */
export const collapsedFileToggle = [
  'button.js-details-target[aria-expanded="false"]', // classic file header chevron
  'button[aria-label^="Expand file"]', // React file header
  'button[aria-expanded="false"][aria-label*="diff"]', // React chevron variants
] as const;

/** "Load diff" inside one file: clicking it fetches the file's rows. */
export const loadDiffButton = [
  'button.load-diff-button', // classic
  '.js-diff-load-container button', // classic, older builds
  'button.js-diff-load', // classic, by behaviour class
] as const;

/** React line-number cells (numbered by position in builds without `data-diff-side`). */
export const reactNumberCellClass = 'diff-line-number';
