// Content script on github.com: everything happens in src/content/page-controller.ts; this file only starts it.
import { startPageController } from '../src/content/page-controller';

try {
  // Nothing aborts it: the content script lives as long as the page.
  startPageController(window, new AbortController().signal);
} catch (error) {
  // Never let our start-up break GitHub's page.
  console.warn('local-pr-review could not start on this page', error);
}
