/**
 * Every CSS selector local-pr-review uses on GitHub, in one place.
 *
 * GitHub changes its markup often and serves two diff layouts at once (classic server-rendered
 * `/files`, React `/changes`), so where the layouts differ a selector is a list with one
 * commented entry per layout. Hashed CSS-module classes (`Foo-module__bar__Xy12z`) are matched
 * by prefix (`[class*="Foo-module__bar"]`) because the hash changes with every GitHub release.
 * Facts behind these: /work/shared/notes/github-dom.md and the saved pages in e2e/fixtures/github.
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
  /** The diff list container. */
  filesContainer: ['#files.diff-view', '#files', '.js-diff-container'],
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
  /** A rename: a link whose title is `old → new`. */
  renameTitle: '.file-header a[title*=" → "], .file-info a[title*=" → "]',
  diffTable: 'table.diff-table',
  splitTableClass: 'file-diff-split',
  // Classes read while walking rows (tested with classList, not selectors, for speed).
  hunkCellClass: 'blob-code-hunk',
  codeCellClass: 'blob-code',
  codeInnerClass: 'blob-code-inner',
  additionClass: 'blob-code-addition',
  deletionClass: 'blob-code-deletion',
  contextClass: 'blob-code-context',
  emptyCellClass: 'blob-code-empty',
  inlineCommentsRowClass: 'inline-comments',
  /** "\ No newline at end of file" marker inside a code cell. */
  noNewlineMarker: ['.no-nl-marker', '[aria-label="No newline at end of file"]'],
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
  rowClass: 'diff-line-row',
  hunkCellClass: 'diff-hunk-cell',
  textCellClass: 'diff-text-cell',
  numberCellClass: 'diff-line-number',
  textInnerClass: 'diff-text-inner',
  markerClass: 'diff-text-marker',
  additionClass: 'addition',
  deletionClass: 'deletion',
  noNewlineMarker: ['[aria-label*="No newline at end of file"]', '.no-newline-at-end-of-file'],
  /** Placeholders shown instead of a table (matched on the region's text). */
  placeholderText: {
    loadDiff: ['Load Diff', 'Load diff'],
    binary: ['Binary file not shown', 'Binary file modified', 'Binary file added', 'Binary file removed'],
    renamedOnly: ['File renamed without changes'],
    modeOnly: ['File mode changed'],
    generated: ['Some generated files are not rendered by default'],
    tooLarge: ['Large diffs are not rendered by default', 'This diff is too large', 'File too large'],
    deletedHidden: ['This file was deleted'],
  },
  /** File tree rows (the tree row id is the full path). */
  fileTreeRow: ['[role="treeitem"][id]'],
} as const;

/** The React app's data island; read defensively (field names are not a public contract). */
export const embeddedData = ['script[data-target="react-app.embeddedData"]'] as const;

// ---- tabs that look like diffs but are not the PR's diff --------------------------------------

export const reviewThreads = ['review-thread-component', '.review-thread-component', '.js-resolvable-timeline-thread-container'] as const;

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
