/**
 * The workers' build step (scripts/domFreeWorkerModules.ts): micromark's entity decoder resolves to its
 * DOM-free build; a worker chunk that still uses the DOM fails the build. (That the worker then runs
 * and parses: markdown.spec.ts, the one-line answer.)
 */
import { describe, expect, it } from 'vitest';
import { domFreeWorkerModules } from '../../../scripts/domFreeWorkerModules.ts';

type Hook = (this: unknown, ...args: unknown[]) => unknown;
const hook = (name: 'resolveId' | 'generateBundle'): Hook => domFreeWorkerModules()[name] as unknown as Hook;
const failing = {
  error: (message: string) => {
    throw new Error(message);
  },
};

describe('domFreeWorkerModules', () => {
  it('resolves the entity decoder to the build that needs no document, and leaves other imports alone', async () => {
    const resolved = hook('resolveId').call({}, 'decode-named-character-reference');
    expect(resolved).toMatch(/decode-named-character-reference[\\/]index\.js$/);
    const source = await import('node:fs').then((fs) => fs.readFileSync(String(resolved), 'utf8'));
    expect(source).not.toContain('document');
    expect(hook('resolveId').call({}, 'micromark')).toBe(null);
  });

  it('fails a build whose worker chunk uses the DOM', () => {
    const chunk = (code: string) => ({ 'assets/parseWorker-abc.js': { type: 'chunk', code } });
    expect(() => hook('generateBundle').call(failing, {}, chunk('const i = document.createElement("i");'))).toThrow(
      /uses the DOM/,
    );
    expect(() => hook('generateBundle').call(failing, {}, chunk('self.onmessage = () => {};'))).not.toThrow();
  });
});
