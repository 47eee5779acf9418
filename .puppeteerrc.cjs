/**
 * puppeteer drives Debian's firefox-esr (see e2e-firefox/): never download a browser of its own,
 * on `npm install` / `npm ci` or at run time (this project's machines reach only package registries).
 */
module.exports = { skipDownload: true };
