/**
 * The incremental previewer gives, at every delta of a stream, exactly what previewStreamingCalls
 * gives on the whole text so far: answers are built from call-shaped pieces of every syntax, with
 * reasoning, fences and prose, and cut into deltas at random points. (Those tests turn off the one
 * exception, long open regions read again only now and then, with `rereadMin: Infinity`; the tests
 * at the end check the exception.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallPreviewer } from '../../../../src/lib/parse/callPreviewer.ts';
import { previewStreamingCalls, REREAD_GROWTH } from '../../../../src/lib/parse/previewCalls.ts';
import { corpusFunctions as fns } from '../../../fixtures/corpus/functions.ts';

const pieces = [
  // JSON, bare and in lists, and data that is not a call
  '{"name": "get_weather", "arguments": {"city": "Paris", "days": 3}}',
  '[{"name": "get_weather", "arguments": {"city": "Oslo"}}, {"function": "get_time", "parameters": {}}]',
  '{"name": "Alice", "age": 30}',
  '{"tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Rome\\"}"}}]}',
  // tag contexts
  '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Lima"}}\n</tool_call>',
  '<tool_call>{"name": "get_weather", "arguments": {"city": "Lima"}}',
  '<|python_tag|>get_weather(city="Kyiv")<|eom_id|>',
  '<function=get_weather>\n<parameter=city>\nBern\n</parameter>\n</function>',
  '<function=get_weather>{"city": "Bern"}</function>',
  '<|tool_call>call:get_weather{city:<|"|>Paris<|"|>}<tool_call|>',
  '[TOOL_CALLS]get_weather[ARGS]{"city": "Nice"}',
  '[TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Nice"}}]</s>',
  // pythonic
  "[get_weather(city='Paris', days=2), get_time()]",
  'get_weather("Quito")',
  // fences
  '```json\n',
  '```',
  '\n```\n',
  // reasoning
  '<think>',
  '</think>',
  'I should call get_weather. ',
  '[THINK]',
  '[/THINK]',
  '<|channel>thought',
  '<channel|>',
  // prose and fragments
  'The weather is nice. ',
  'see f(x) ',
  '\n\n',
  ' ',
  '{',
  '}',
  '[',
  '"',
  '<',
  '<tool_',
  'get_wea',
  '**bold** ',
];

const answer = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 12 }).map((p) => p.join(''));

/** Every open region read again on every update, as previewStreamingCalls reads it. */
const EXACT = { rereadMin: Infinity };

function cuts(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  return [...at, text.length].filter((p) => p > 0).map((p) => text.slice(0, p));
}

describe('CallPreviewer', () => {
  it('equals a from-scratch preview at every delta', () => {
    fc.assert(
      fc.property(
        answer,
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.constantFrom('', '<think>\n'),
        (text, points, prefix) => {
          const previewer = new CallPreviewer(fns, prefix, EXACT);
          for (const soFar of cuts(text, points)) {
            expect(previewer.update(soFar), JSON.stringify(soFar)).toEqual(previewStreamingCalls(soFar, fns, prefix));
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('equals a from-scratch preview when streamed a few characters at a time', () => {
    fc.assert(
      fc.property(answer, fc.integer({ min: 1, max: 6 }), (text, step) => {
        const previewer = new CallPreviewer(fns, '', EXACT);
        for (let end = step; end < text.length + step; end += step) {
          const soFar = text.slice(0, Math.min(end, text.length));
          expect(previewer.update(soFar), JSON.stringify(soFar)).toEqual(previewStreamingCalls(soFar, fns));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('equals a from-scratch preview on long call-dense answers (the prose joined once per settled call)', () => {
    // Long enough that many calls settle behind the stable position and their gaps are joined once.
    const dense = fc
      .array(fc.constantFrom(...pieces, ...pieces.slice(0, 14), 'Then, ', 'and ', '.\n'), {
        minLength: 20,
        maxLength: 80,
      })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(dense, fc.integer({ min: 1, max: 40 }), (text, step) => {
        const previewer = new CallPreviewer(fns, '', EXACT);
        for (let end = step; end < text.length + step; end += step) {
          const soFar = text.slice(0, Math.min(end, text.length));
          expect(previewer.update(soFar), JSON.stringify(soFar)).toEqual(previewStreamingCalls(soFar, fns));
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it("does not hang on a lone slash in a partial value (Mistral's `[/THINK]` arriving in a context)", () => {
    const preview = previewStreamingCalls('<tool_call>{"name": "get_weather", "arguments": {}}\n\n[/TH', fns);
    expect(preview.calls[0]).toMatchObject({ name: 'get_weather', complete: true });
  });

  it('streams in linear time: a pathological answer costs a bounded multiple of prose', () => {
    const n = 32_000;
    const fill = (unit: string): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    const stream = (text: string): number => {
      const t0 = performance.now();
      const previewer = new CallPreviewer(fns);
      for (let end = 4; end < text.length + 4; end += 4) previewer.update(text.slice(0, Math.min(end, text.length)));
      return performance.now() - t0;
    };
    const prose = fill('The weather in Paris is mild today. ');
    stream(prose); // warm-up
    const base = Math.max(Math.min(stream(prose), stream(prose)), 1);
    for (const [head = '', unit = ''] of [
      ['', '{'],
      ['', '{"a":'],
      ['', '['],
      ['', '**a '],
      ['', '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>\n'],
      // Regions that never close: read whole on every update, these were quadratic.
      ['', '{"name": '],
      ['', '[{"name": '],
      ['<tool_call>', '{"name": '],
      ['{"name": "get_weather", "arguments": {"city": "', 'word '],
      ['{"name": "get_weather", "arguments": {"list": [', '{"a": {"b": 1}}, '],
      // The same, a long argument, in the other syntaxes.
      ['[get_weather(city="', 'word '],
      ['<|python_tag|>get_weather(city="', 'word '],
      ['<function=get_weather>{"city": "', 'word '],
      ['<function=get_weather>\n<parameter=city>\n', 'word '],
      ['[TOOL_CALLS]get_weather[ARGS]{"city": "', 'word '],
    ]) {
      const text = head + fill(unit);
      expect(Math.min(stream(text), stream(text)) / base, head + unit).toBeLessThan(40);
    }
  }, 60_000);

  it('starts afresh on a text that does not extend the last one', () => {
    const previewer = new CallPreviewer(fns);
    previewer.update('<tool_call>{"name": "get_weather"');
    expect(previewer.update('Hello')).toEqual(previewStreamingCalls('Hello', fns));
  });

  describe('a long open region, read again only now and then', () => {
    const long = [
      '{"name": "get_weather", "arguments": {"city": "',
      '{"name": "get_weather", "arguments": {"days": [',
      '<tool_call>\n',
      '</tool_call>',
      '{"name": ',
      '[{"name": ',
      '{"a": {"b": 1}}, ',
      'word ',
      '"',
      '", ',
      '}',
      ']',
      '}}',
      '```',
      '\n',
      '// ',
      'Then I answer. ',
      '[get_weather(city="',
      ')]',
      '<function=get_weather>{"city": "',
      '<function=get_weather>\n<parameter=city>\n',
      '\n</parameter>\n',
      '</function>',
      '[TOOL_CALLS]get_weather[ARGS]{"city": "',
    ];
    // Without reasoning: a reasoning section that opens stops the answer from growing, and the lag
    // below is the answer's (while it does not grow, the preview stays as it was last read).
    const REASONING = ['<think>', '</think>', '[THINK]', '[/THINK]', '<|channel>thought', '<channel|>'];
    const answerPieces = pieces.filter((p) => !REASONING.includes(p));
    const longAnswer = fc
      .array(fc.constantFrom(...answerPieces, ...long, ...long), { minLength: 5, maxLength: 60 })
      .map((p) => p.join(''));

    const HELD_BACK = 16;

    it('shows the preview of the text at most a sixteenth shorter, as it was when last read', () => {
      fc.assert(
        fc.property(longAnswer, fc.integer({ min: 1, max: 12 }), (text, step) => {
          const previewer = new CallPreviewer(fns, '', { rereadMin: 16 });
          const seen: { length: number; preview: { prose: string; calls: unknown } }[] = [];
          for (let end = step; end < text.length + step; end += step) {
            const soFar = text.slice(0, Math.min(end, text.length));
            const { prose, calls } = previewStreamingCalls(soFar, fns);
            seen.push({ length: soFar.length, preview: { prose, calls } });
            const got = previewer.update(soFar);
            // The lag is counted on the answer, which may hold back the start of a reasoning tag (`[THINK`).
            const recent = seen.filter((s) => soFar.length - s.length <= soFar.length * REREAD_GROWTH + HELD_BACK);
            expect(
              recent.some((s) => JSON.stringify(s.preview) === JSON.stringify({ prose: got.prose, calls: got.calls })),
              JSON.stringify(soFar),
            ).toBe(true);
          }
        }),
        { numRuns: 400 },
      );
    }, 120_000);

    it('is exact again as soon as the region closes: its value, its closing tag, a fence, in every syntax', () => {
      const argument = 'word '.repeat(1_000);
      for (const [text, closedAt] of [
        [`{"name": "get_weather", "arguments": {"city": "${argument}"}} Done.`, '}}'],
        [`<tool_call>\n{"name": "get_weather", "arguments": {"city": "${argument}"}}\n</tool_call>\nDone.`, '}}'],
        [
          `<tool_call>\n{"name": "get_weather", "arguments": {"city": "${argument}"}}\n</tool_call>\nDone.`,
          '</tool_call>',
        ],
        [`\`\`\`json\n{"name": "get_weather", "arguments": {"city": "${argument}"\n\`\`\`\nDone.`, '```\nDone'],
        [`<tool_call>\n{"name": "get_weather", "arguments": {"city": "${argument}"}}\nDone, no closing tag.`, '}}'],
        [`[get_weather(city="${argument}")] Done.`, ')]'],
        [`<function=get_weather>{"city": "${argument}"}</function> Done.`, '</function>'],
        [`<function=get_weather>\n<parameter=city>\n${argument}\n</parameter>\n</function> Done.`, '</parameter>'],
        [`[TOOL_CALLS]get_weather[ARGS]{"city": "${argument}"} Done.`, '"}'],
      ] as const) {
        const previewer = new CallPreviewer(fns);
        const from = text.lastIndexOf(closedAt) + closedAt.length;
        for (let end = 3; end < text.length + 3; end += 3) {
          const soFar = text.slice(0, Math.min(end, text.length));
          const got = previewer.update(soFar);
          if (soFar.length >= from)
            expect(got, JSON.stringify(soFar.slice(-40))).toEqual(previewStreamingCalls(soFar, fns));
        }
      }
    });
  });
});
