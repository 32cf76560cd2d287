import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { previewStreamingCalls, type CallPreview } from '../../../../src/lib/parse/previewCalls.ts';
import { MAX_PARTIAL_DEPTH, trimPartialJson } from '../../../../src/lib/parse/partialJson.ts';
import { corpusFunctions as fns } from '../../../fixtures/corpus/functions.ts';
import { deleteFileAnswerMultiline, saveChatAnswerOneLine } from '../../../fixtures/seeds/trelisExamples.ts';

const v2 = '{"function": "get_weather", "arguments": {"city": "Paris", "days": 3}}';

/** Every answer shape the parser reads, as a model would stream it. */
const SHAPES: [string, string][] = [
  [
    'Hermes <tool_call> after prose',
    'Let me look.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "days": 3}}\n</tool_call>',
  ],
  ['a ```json fence with prose around it', `Here:\n\`\`\`json\n${v2}\n\`\`\`\nOne moment.`],
  ['a bare v2 object', v2],
  ['the Trelis card answer, multi-line', deleteFileAnswerMultiline],
  ['the Trelis card answer with a long string', saveChatAnswerOneLine],
  ['bare v3 name/arguments', '{"name": "search_bing", "arguments": {"query": "AI news"}}'],
  [
    'arguments as a JSON-encoded string',
    '{"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\", \\"unit\\": \\"C\\"}"}',
  ],
  ['a call inside a sentence', `I will call ${v2} now.`],
  [
    'Mistral [TOOL_CALLS]',
    '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "get_time", "arguments": {}}]',
  ],
  [
    '<|python_tag|> with parameters',
    '<|python_tag|>{"name": "get_weather", "parameters": {"city": "Paris"}}<|eom_id|>',
  ],
  ['<function=name> tag', '<function=get_weather>{"city": "Paris", "days": 2}</function>'],
  [
    'two <tool_call> blocks',
    '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>\n<tool_call>{"name": "search_bing", "arguments": {"query": "AI news"}}</tool_call>',
  ],
  ['a JSON array of calls', `[${v2}, {"name": "search_bing", "arguments": {"query": "AI news"}}]`],
  ['pythonic list (Llama 3.2)', '[get_weather(city=\'Paris\', days=3), search_bing(query="AI news")]'],
  ['a pythonic call after prose', 'Sure. add_numbers(2, b=3.5)'],
  ['a JavaScript object literal', "{function: 'get_weather', arguments: {city: 'Paris'}}"],
  [
    'nested arguments',
    '<tool_call>{"name": "book_table", "arguments": {"restaurant": "Chez Nous", "people": 4, "options": {"terrace": true, "notes": ["quiet", "vegan"]}}}</tool_call>',
  ],
];

/** Text that must never be on screen as prose while a call streams. */
const CALL_MARKERS = [
  '<tool_call',
  '</tool_call',
  '[TOOL_CALLS',
  '<|python',
  '<function',
  '{"',
  "{'",
  '"name"',
  '"function"',
  '"arguments"',
  '{function',
  '```',
  'get_weather(',
  'add_numbers(',
];

function prefixes(text: string): string[] {
  return Array.from({ length: text.length + 1 }, (_, i) => text.slice(0, i));
}

/** `next` only adds to `prev`: keys kept, strings extended, lists grown, numbers written on. */
function grows(prev: unknown, next: unknown): boolean {
  if (typeof prev === 'string') return typeof next === 'string' && next.startsWith(prev);
  if (Array.isArray(prev)) {
    return Array.isArray(next) && next.length >= prev.length && prev.every((p, i) => grows(p, next[i]));
  }
  if (typeof prev === 'object' && prev !== null) {
    if (typeof next !== 'object' || next === null) return false;
    const n = next as Record<string, unknown>;
    return Object.entries(prev).every(([k, v]) => k in n && grows(v, n[k]));
  }
  return JSON.stringify(prev) === JSON.stringify(next);
}

/** Where the k-th call's name has streamed in full (its closing quote, `(` or `>` included). */
function nameEnds(answer: string, names: string[]): number[] {
  let from = 0;
  return names.map((name) => {
    const at = answer.indexOf(name, from);
    from = at + name.length;
    return at + name.length + 1;
  });
}

describe('previewStreamingCalls — every answer shape, streamed one character at a time', () => {
  it.each(SHAPES)('%s', (_, answer) => {
    const final = parseToolCalls(answer, fns);
    expect(final.errors).toEqual([]);
    expect(final.calls.length).toBeGreaterThan(0);
    const names = final.calls.map((c) => c.name);
    const ends = nameEnds(answer, names);
    let prev: CallPreview = { prose: '', calls: [] };
    for (const prefix of prefixes(answer)) {
      const preview = previewStreamingCalls(prefix, fns);
      const where = `after ${JSON.stringify(prefix)}`;
      // (a) The prose is never call text: it is always the start of the final prose.
      for (const marker of CALL_MARKERS) expect(preview.prose, where).not.toContain(marker);
      expect(final.text.startsWith(preview.prose.trim()), where).toBe(true);
      // (b) Each name shows once it has streamed, and never a half-written one.
      expect(preview.calls.length, where).toBeLessThanOrEqual(final.calls.length);
      preview.calls.forEach((call, k) => {
        if (call.name !== undefined) expect(call.name, where).toBe(names[k]);
        if (prefix.length >= (ends[k] ?? Infinity)) expect(call.name, where).toBe(names[k]);
      });
      // (c) Arguments only grow; a card, once shown, stays.
      expect(preview.calls.length, where).toBeGreaterThanOrEqual(prev.calls.length);
      prev.calls.forEach((call, k) => expect(grows(call.arguments, preview.calls[k]?.arguments), where).toBe(true));
      prev = preview;
    }
    expect(prev.calls).toEqual(final.calls.map((c) => ({ name: c.name, arguments: c.arguments, complete: true })));
    expect(prev.prose).toBe(final.text);
  });

  it('shows a card as soon as a call context opens, before any name', () => {
    expect(previewStreamingCalls('Checking.\n<tool_call>\n', fns)).toEqual({
      prose: 'Checking.',
      calls: [{ arguments: {}, complete: false }],
    });
    expect(previewStreamingCalls('{"function": "', fns).calls).toEqual([{ arguments: {}, complete: false }]);
  });

  it('shows a string argument as far as it has streamed, a number once it is finished', () => {
    expect(previewStreamingCalls('{"name": "get_weather", "arguments": {"city": "Pa', fns).calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Pa' }, complete: false },
    ]);
    expect(
      previewStreamingCalls('{"name": "get_weather", "arguments": {"city": "Paris", "days": 1', fns).calls[0]
        ?.arguments,
    ).toEqual({ city: 'Paris' });
    expect(
      previewStreamingCalls('{"name": "get_weather", "arguments": {"city": "Paris", "days": 12,', fns).calls[0]
        ?.arguments,
    ).toEqual({ city: 'Paris', days: 12 });
  });
});

describe('previewStreamingCalls — prose', () => {
  it.each([
    'Hello! How can I help you today?',
    'It is {"temperature": 20} degrees in Paris.',
    '[1, 2, 3] are the first numbers; see [the docs](https://example.com).',
    'Use a `{` to open a block, and <b> is bold.',
    'Call get_weather(x) with a city, or see calculate(expr).',
    'In Python, print(x) prints; unknown_function(a=1) is not ours.',
    'A list:\n\n```python\nprint("hi")\n```\n\nDone.',
  ])('shows prose unchanged, holding back at most a short trailing fragment: %s', (answer) => {
    for (const prefix of prefixes(answer)) {
      const preview = previewStreamingCalls(prefix, fns);
      expect(preview.calls, prefix).toEqual([]);
      expect(prefix.startsWith(preview.prose), prefix).toBe(true);
      expect(prefix.length - preview.prose.length, prefix).toBeLessThanOrEqual(16);
    }
    expect(previewStreamingCalls(answer, fns)).toEqual({ prose: answer, calls: [] });
  });

  it('holds back a fragment that may open a call, and releases it when the next text decides', () => {
    expect(previewStreamingCalls('Let me check. <tool_', fns).prose).toBe('Let me check. ');
    expect(previewStreamingCalls('Let me check. <tool_x', fns).prose).toBe('Let me check. <tool_x');
    expect(previewStreamingCalls('Here:\n```json\n{"na', fns).prose).toBe('Here:\n');
    expect(previewStreamingCalls('Result: {', fns).prose).toBe('Result: ');
    expect(previewStreamingCalls('Result: {"total": 3}', fns).prose).toBe('Result: {"total": 3}');
  });

  it('gives JSON data that starts like a call back to the prose once a key shows it is data', () => {
    const answer = 'Here is the JSON you asked for:\n```json\n{"name": "Alice", "age": 30, "tags": ["a", "b"]}\n```';
    for (const prefix of prefixes(answer)) {
      const preview = previewStreamingCalls(prefix, fns);
      expect(preview.calls, prefix).toEqual([]);
      expect(prefix.startsWith(preview.prose), prefix).toBe(true);
    }
    expect(previewStreamingCalls(answer, fns).prose).toBe(answer);
  });

  it('ends a call context that never closes at its call, so the prose after it shows', () => {
    const preview = previewStreamingCalls('<tool_call>{"name": "get_time", "arguments": {}}\nAnything else?', fns);
    expect(preview).toEqual({ prose: 'Anything else?', calls: [{ name: 'get_time', arguments: {}, complete: true }] });
  });
});

describe('previewStreamingCalls — robustness and cost', () => {
  it('never throws, whatever it is given', () => {
    const junk = [
      '{{{{',
      '<tool_call>[[[',
      '[TOOL_CALLS] ]',
      '{"name": "get_weather", "arguments": {"a": [}',
      'get_weather((((',
      '\\',
      '<function=>',
    ];
    for (const text of junk)
      for (const prefix of prefixes(text)) expect(() => previewStreamingCalls(prefix, fns)).not.toThrow();
    // @ts-expect-error — a caller outside TypeScript may pass anything
    expect(previewStreamingCalls(undefined, null)).toEqual({ prose: '', calls: [] });
  });
});

describe('trimPartialJson', () => {
  it.each([
    ['{"city": "Paris", "da', '{"city": "Paris",'],
    ['{"city": "Paris", "days"', '{"city": "Paris",'],
    ['{"city": "Paris", "days": ', '{"city": "Paris",'],
    ['{"city": "Paris", "days": 1', '{"city": "Paris",'],
    ['{"city": "Paris", "days": 12 ', '{"city": "Paris", "days": 12 '],
    ['{"city": "Pa', '{"city": "Pa"'],
    ['{"note": "a, {b', '{"note": "a, {b"'],
    ['{"note": "x\\', '{"note": "x"'],
    ['{"note": "caf\\u00', '{"note": "caf"'],
    ['{"a": {"b": tr', '{"a": {'],
    ['["x", "y', '["x", "y"'],
    ['[1, 2', '[1,'],
    ["{function: 'get_weather', argu", "{function: 'get_weather',"],
  ])('%s → %s', (input, expected) => {
    expect(trimPartialJson(input)).toBe(expected);
  });

  it(`leaves out a container nested deeper than ${MAX_PARTIAL_DEPTH}, with its member, however the text goes on`, () => {
    const open = (depth: number) => '{"a": '.repeat(depth - 1) + '{"b": 1, "c": ';
    expect(trimPartialJson(open(MAX_PARTIAL_DEPTH) + '"x"')).toBe(open(MAX_PARTIAL_DEPTH) + '"x"');
    const deeper = open(MAX_PARTIAL_DEPTH) + '{"d": "x"';
    const cut = open(MAX_PARTIAL_DEPTH).slice(0, -' "c": '.length);
    expect(trimPartialJson(deeper)).toBe(cut);
    expect(trimPartialJson(deeper + '}, "e": [1, 2], "f": "y"')).toBe(cut);
    expect(trimPartialJson('[' + '['.repeat(MAX_PARTIAL_DEPTH))).toBe('['.repeat(MAX_PARTIAL_DEPTH));
  });
});

describe('previewStreamingCalls — a value nested thousands deep', () => {
  it('is read at about the cost of a flat one as long (jsonrepair was paid per level: 26× on 27 KB)', () => {
    const deep = '{"name": '.repeat(3_000);
    const flat = ('{"name": "get_weather", "arguments": {"city": "' + 'word '.repeat(6_000)).slice(0, deep.length);
    const fastest = (text: string) => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        previewStreamingCalls(text, fns);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    fastest(flat); // warm-up
    expect(fastest(deep) / Math.max(fastest(flat), 0.5)).toBeLessThan(5);
  });
});
