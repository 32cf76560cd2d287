/** Service-worker steps shared by the PWA and sub-path tests. */
import { expect, type Page } from '@playwright/test';

/** Waits until a service worker is active for the page; returns its scope and script URL. */
export async function serviceWorkerReady(page: Page): Promise<{ scope: string; script: string }> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return { scope: registration.scope, script: registration.active?.scriptURL ?? '' };
  });
}

/** Reloads until the active service worker controls the page (a first visit is not controlled). */
export async function reloadUnderServiceWorker(page: Page): Promise<void> {
  await serviceWorkerReady(page);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** The URLs the service worker precaches, read from its generated source. */
export function precacheUrls(swSource: string): string[] {
  return [...swSource.matchAll(/\burl:"([^"]+)"/g)].map((m) => m[1] ?? '');
}
