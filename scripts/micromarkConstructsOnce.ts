/**
 * Gives micromark's `parse` a remembered `combineExtensions` (src/lib/markdown/combineExtensionsOnce.ts),
 * so the constructs it parses with are merged once, not on every parse of every block of an answer.
 * Only micromark's parse module is redirected: every other import of the package keeps the original.
 *
 * Where it applies: the builds and the unit tests (vite.config.ts inlines micromark and
 * mdast-util-from-markdown into vitest, so they are resolved through this plugin, and
 * tests/unit/markdown/combineExtensionsOnce.test.ts checks that a parse reuses the merge). The dev
 * server pre-bundles micromark without plugins, so there it merges on every parse, as it always did:
 * slower, the same trees.
 *
 * A build that contains micromark's parse module but never redirected its import fails, so a new
 * micromark that moves or renames it cannot quietly undo this.
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const ORIGINAL = 'micromark-util-combine-extensions';
/** micromark's parse module, in its production or development build. */
const PARSE_MODULE = /[\\/]node_modules[\\/]micromark[\\/](?:dev[\\/])?lib[\\/]parse\.js$/;
const remembered = fileURLToPath(new URL('../src/lib/markdown/combineExtensionsOnce.ts', import.meta.url));

export function micromarkConstructsOnce(): Plugin {
  let redirected = false;
  return {
    name: 'callama:micromark-constructs-once',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== ORIGINAL || importer === undefined || !PARSE_MODULE.test(importer.split('?')[0] ?? ''))
        return null;
      redirected = true;
      return remembered;
    },
    buildEnd() {
      const hasParse = [...this.getModuleIds()].some((id) => PARSE_MODULE.test(id.split('?')[0] ?? ''));
      if (hasParse && !redirected)
        this.error(`micromark's parse module no longer imports ${ORIGINAL}: see scripts/micromarkConstructsOnce.ts`);
    },
  };
}
