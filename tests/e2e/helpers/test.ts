/**
 * The `test` and `expect` every browser test imports. One place to add fixtures that all specs share
 * (the Content-Security-Policy violation check lives here).
 */
export { test, expect } from '@playwright/test';
export type { Page, BrowserContext, Locator } from '@playwright/test';
