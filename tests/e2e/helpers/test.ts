/**
 * The `test` and `expect` every browser test imports. One place to add fixtures that all specs share.
 *
 * Content-Security-Policy check (automatic, every test): the app is served with its policy on (see
 * tests/playwright.config.ts), and any violation in any page or frame of the test's browser context
 * fails the test. Two sources, because neither sees everything:
 * - `securitypolicyviolation` events, from an init script in every frame (sandboxed and opaque-origin
 *   frames included), reported through a binding;
 * - console messages the browser writes about the policy ("Refused to …", "… violates the following
 *   Content Security Policy directive …"), which also cover what has no event in the page itself,
 *   such as a frame-ancestors refusal (logged in the framing page).
 * A test that provokes a violation on purpose declares it with `csp.expectViolation(/pattern/)`; an
 * expected violation that never happens fails the test too. Contexts a test creates itself with
 * `browser.newContext()` are not watched unless it calls `csp.watch(context)`.
 *
 * Download question (automatic, every test unless it opts out): a load that would download asks first
 * ("Download … ?", DownloadConfirm.svelte), in the app and in the widget. Most specs are about what
 * happens after it, so a locator handler answers "Download" whenever the question is on screen
 * before an action or assertion, as a person who agrees would. Specs about the question itself turn
 * it off with `test.use({ answerDownloads: false })`.
 */
import { test as base, expect, type BrowserContext } from '@playwright/test';

export { expect };
export type { Page, BrowserContext, Locator, Frame } from '@playwright/test';

export interface CspViolation {
  source: 'event' | 'console';
  /** The page or frame URL that reported it. */
  url: string;
  text: string;
}

const CONSOLE_REFUSAL = /Refused to |Content Security Policy/;

export class CspWatch {
  readonly violations: CspViolation[] = [];
  readonly #expected: { pattern: RegExp; seen: boolean }[] = [];
  readonly #watched = new WeakSet<BrowserContext>();

  /** Starts collecting violations in `context` (done for the test's own context automatically). */
  async watch(context: BrowserContext): Promise<void> {
    if (this.#watched.has(context)) return;
    this.#watched.add(context);
    await context.exposeBinding('__callamaCspViolation', ({ frame }, text: string) => {
      this.violations.push({ source: 'event', url: frame.url(), text });
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __callamaCspViolation?: (text: string) => void }).__callamaCspViolation;
        report?.(
          `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} — policy: ${e.originalPolicy}`,
        );
      });
    });
    context.on('console', (message) => {
      if (CONSOLE_REFUSAL.test(message.text())) {
        this.violations.push({ source: 'console', url: message.page()?.url() ?? '', text: message.text() });
      }
    });
  }

  /** Declares that this test provokes a violation matching `pattern` on purpose. */
  expectViolation(pattern: RegExp): void {
    this.#expected.push({ pattern, seen: false });
  }

  /** Violations not declared as expected. */
  unexpected(): CspViolation[] {
    return this.violations.filter((v) => {
      const match = this.#expected.find((e) => e.pattern.test(v.text));
      if (match) match.seen = true;
      return !match;
    });
  }

  /** Expected patterns that never matched. */
  missing(): RegExp[] {
    this.unexpected();
    return this.#expected.filter((e) => !e.seen).map((e) => e.pattern);
  }
}

/** The download question, in the page itself or in the widget's frame on a host page. */
const DOWNLOAD_QUESTION = '[data-testid="download-confirm"][open]';

export const test = base.extend<{ csp: CspWatch; answerDownloads: boolean; downloadAnswerer: undefined }>({
  answerDownloads: [true, { option: true }],
  downloadAnswerer: [
    async ({ page, answerDownloads }, use) => {
      if (answerDownloads) {
        const inPage = page.locator(DOWNLOAD_QUESTION);
        const inWidget = page.frameLocator('iframe[src*="embed.html"]').locator(DOWNLOAD_QUESTION);
        for (const question of [inPage, inWidget]) {
          await page.addLocatorHandler(question, async (dialog) => {
            await dialog.getByTestId('download-confirm-button').click();
          });
        }
      }
      await use(undefined);
    },
    { auto: true },
  ],
  csp: [
    async ({ context }, use) => {
      const watch = new CspWatch();
      await watch.watch(context);
      await use(watch);
      const unexpected = watch.unexpected();
      expect(
        unexpected.map((v) => `[${v.source}] ${v.url}: ${v.text}`),
        'Content-Security-Policy violations',
      ).toEqual([]);
      expect(watch.missing().map(String), 'expected Content-Security-Policy violations that did not happen').toEqual(
        [],
      );
    },
    { auto: true },
  ],
});
