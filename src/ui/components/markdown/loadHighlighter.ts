/**
 * The highlighter chunk, fetched once when the first code block is shown (while it still streams, so
 * it is there when the block is complete). Every block then
 * gets the same promise: each `import()` of a chunk goes through Vite's preload helper, which searches
 * the whole document for a CSP nonce, a cost that grows with a long answer's DOM (one search per code
 * block was quadratic in bench:stream --profile).
 */
import { loadOnce } from '../../../lib/async/loadOnce.ts';

type HighlighterModule = typeof import('./highlighter.ts');

/**
 * Fetches the highlighter module once; every caller gets the same promise. A failed fetch (offline
 * before the chunk was cached) is tried again by the next block.
 */
export const loadHighlighter: () => Promise<HighlighterModule> = loadOnce(() => import('./highlighter.ts'));
