/** True only in the e2e build (vite --mode e2e). See vite.config.ts. */
declare const __E2E__: boolean;
