import type { MarkdownBlock } from '../../../lib/markdown/markdownStream.ts';

/**
 * What every node of one block needs to know while it is rendered: the block's link definitions
 * (collected once, when it is parsed) and whether it is complete (its code blocks are then worth
 * highlighting). The block itself is its context.
 */
export type RenderContext = Pick<MarkdownBlock, 'definitions' | 'complete'>;
