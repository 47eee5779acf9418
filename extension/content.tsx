// Content script on github.com: everything happens in PageController; this file only starts it.
import { PageController } from '../src/content/page-controller';

try {
  new PageController(window).start();
} catch (error) {
  // Never let our start-up break GitHub's page.
  console.warn('local-pr-review could not start on this page', error);
}
