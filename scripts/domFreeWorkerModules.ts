/**
 * The workers' build (`worker.plugins` in vite.config.ts): a package whose "browser" export needs the
 * DOM gets the one it made for workers. A worker has no `document`: micromark's entity decoder
 * (decode-named-character-reference) decodes with a DOM element in its "browser" build, so the
 * Markdown worker (src/ui/components/markdown/parseWorker.ts) died on its first line, and every
 * parse it was sent fell back to the page's thread, unnoticed.
 *
 * The guard: a worker chunk that still mentions `document.createElement` fails the build. (The dev
 * server resolves a worker's imports as the page's, so there the Markdown worker still fails and its
 * parses run on the page, as without a worker.)
 */
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
/** Packages whose "browser" export uses the DOM; Node's resolution gives their DOM-free "default" one. */
const DOM_FREE = new Set(['decode-named-character-reference']);

export function domFreeWorkerModules(): Plugin {
  return {
    name: 'callama:dom-free-worker-modules',
    enforce: 'pre',
    resolveId(source) {
      return DOM_FREE.has(source) ? require.resolve(source) : null;
    },
    generateBundle(_options, bundle) {
      for (const [file, output] of Object.entries(bundle))
        if (output.type === 'chunk' && output.code.includes('document.createElement'))
          this.error(
            `worker chunk ${file} uses the DOM, which a worker does not have: see scripts/domFreeWorkerModules.ts`,
          );
    },
  };
}
