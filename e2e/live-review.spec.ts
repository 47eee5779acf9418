/**
 * Issue 12: readable while it streams. The model's answer is parsed in the engine host as it
 * arrives, so validated findings and per-file summary lines show in the panel before the review
 * is done; the raw text stays under a collapsed "What the model wrote".
 *
 * The scripted engine stands in for a GPU model (which cannot run here); everything after it is
 * real: engine host, partial parsing, validation against the diff, messages, panel.
 */
import { expect, serveGithub, setSettings, test } from './support/extension';
import { CLASSIC, shootBothThemes } from './panel-pages';

test.use({ viewport: { width: 1280, height: 900 } } as never);

// About 12 s of streaming: 2,400 characters at 50 tokens/s (200 characters/s).
const STREAMING = 'scripted?rate=50&piece=4&total=2400&per=2400&loadMs=0';

test('findings and per-file summary lines appear while the model is still writing; the raw text is collapsed', async ({ ext, page }, info) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await serveGithub(ext.context, CLASSIC.routes);
  await setSettings(ext.serviceWorker, { engine: 'scripted', modelId: STREAMING });
  await page.goto(`https://github.com${CLASSIC.path}`);
  await page.getByTestId('review-button').click();

  const reviewing = page.getByTestId('panel-reviewing');
  await expect(reviewing).toBeVisible();
  // A validated finding, anchored to the real file and line, while still reviewing.
  const finding = reviewing.getByTestId('live-finding');
  await expect(finding).toHaveCount(1);
  await expect(finding).toContainText(`${CLASSIC.file}:${CLASSIC.line}`);
  await expect(finding).toContainText('Scripted finding');
  // The file's summary line, read from the unfinished answer.
  await expect(reviewing.getByTestId('live-file')).toContainText(`${CLASSIC.file}: Scripted summary of this chunk.`);
  // The raw JSON is not the panel's main content: it sits in a closed "What the model wrote".
  const wrote = reviewing.getByTestId('model-wrote');
  await expect(wrote).toContainText('What the model wrote');
  expect(await wrote.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
  await expect(reviewing.getByTestId('stream-text')).toBeHidden();
  await expect(reviewing).toBeVisible(); // still streaming after all of the above
  await shootBothThemes(page, 'classic-reviewing-live', info);

  // Opened, it shows the text the model is writing (the JSON it streams).
  await wrote.locator('summary').click();
  await expect(reviewing.getByTestId('stream-text')).toBeVisible();
  await expect(reviewing.getByTestId('stream-text')).toContainText('Scripted line');

  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('finding')).toHaveCount(1);
});
