/** The app's origin in the browser tests: Playwright's web server, on CALLAMA_E2E_PORT (playwright.config.ts). */
export const APP_ORIGIN = `http://localhost:${process.env.CALLAMA_E2E_PORT ?? '4317'}`;
