/** AnswerDefinitions: which labels a block's text may use, and the definitions it is parsed with. */
import { describe, expect, it } from 'vitest';
import { AnswerDefinitions, labelsIn } from '../../../../src/lib/markdown/answerDefinitions.ts';
import { parseBlock } from '../../../../src/lib/markdown/parseBlock.ts';

describe('labelsIn', () => {
  it('finds every bracketed label as CommonMark compares them, a footnote’s with ^', () => {
    expect(labelsIn('See [the  Docs][Docs\n Page], [x] and [^Note 1].')).toEqual(
      new Set(['the docs', 'docs page', 'x', '^note 1']),
    );
    // Escaped brackets belong to the label; an empty pair and a lone bracket are none.
    expect(labelsIn('[a\\]b] [] [open')).toEqual(new Set(['a\\]b']));
  });
});

describe('AnswerDefinitions', () => {
  it('gives a block the definitions of the labels it uses, the first of a label winning, and the labels still missing', () => {
    const definitions = new AnswerDefinitions();
    expect(definitions.add(parseBlock('[Docs]: https://a.b/1\n[docs]: https://a.b/2'))).toEqual(['docs']);
    expect(definitions.add(parseBlock('[^n]: A note.'))).toEqual(['^n']);
    expect(definitions.add(parseBlock('[docs]: https://a.b/3'))).toEqual([]);
    expect(definitions.links.get('docs')?.url).toBe('https://a.b/1');

    const { lines, missing } = definitions.for('Read [DOCS], see [^n], and [later].');
    expect(lines).toBe('\n\n[Docs]: #\n\n[^n]: .');
    expect(missing).toEqual(new Set(['later']));
    expect(definitions.for('No brackets at all.')).toEqual({ lines: '', missing: new Set() });
  });
});
