import { describe, expect, it } from 'vitest';
import { bfclCategory, loadBfcl } from '../../../../src/lib/eval/loadBfcl.ts';
import { convertBfclSchema } from '../../../../src/lib/eval/convertBfclSchema.ts';
import { scoreAnswer } from '../../../../src/lib/eval/scoreAnswer.ts';

// Lines in BFCL's own shapes (v3 question turns, v1 plain string), trimmed from its simple/parallel/irrelevance sets.
const questions = [
  {
    id: 'simple_0',
    question: [
      [{ role: 'user', content: 'Find the area of a triangle with a base of 10 units and height of 5 units.' }],
    ],
    function: [
      {
        name: 'calculate_triangle_area',
        description: 'Calculate the area of a triangle given its base and height.',
        parameters: {
          type: 'dict',
          properties: {
            base: { type: 'integer', description: 'The base of the triangle.' },
            height: { type: 'integer', description: 'The height of the triangle.' },
            unit: { type: 'string', description: "The unit of measure (defaults to 'units' if not specified)" },
          },
          required: ['base', 'height'],
        },
      },
    ],
  },
  {
    id: 'parallel_3',
    question: 'Weather in Boston and in Miami?',
    function: {
      name: 'weather.get',
      parameters: {
        type: 'dict',
        properties: { location: { type: 'string' }, days: { type: 'float' } },
        required: ['location'],
      },
    },
  },
  {
    id: 'irrelevance_7',
    question: [[{ role: 'user', content: 'Who painted the Mona Lisa?' }]],
    function: [{ name: 'f', parameters: { type: 'dict', properties: {} } }],
  },
  {
    id: 'simple_9',
    question: [[{ role: 'user', content: 'No answer line for me' }]],
    function: [{ name: 'f', parameters: { type: 'dict', properties: {} } }],
  },
]
  .map((q) => JSON.stringify(q))
  .join('\n');

const answers = [
  { id: 'simple_0', ground_truth: [{ calculate_triangle_area: { base: [10], height: [5], unit: ['units', ''] } }] },
  {
    id: 'parallel_3',
    ground_truth: [
      { 'weather.get': { location: ['Boston, MA', 'Boston'], days: [''] } },
      { 'weather.get': { location: ['Miami'] } },
    ],
  },
]
  .map((a) => JSON.stringify(a))
  .join('\n');

describe('loadBfcl', () => {
  it('turns BFCL questions and possible answers into cases', () => {
    const { cases, skipped } = loadBfcl(`${questions}\nnot json\n`, answers);
    expect(cases.map((c) => [c.id, c.category])).toEqual([
      ['simple_0', 'simple'],
      ['parallel_3', 'parallel'],
      ['irrelevance_7', 'irrelevance'],
    ]);
    expect(skipped.map((s) => s.message)).toEqual([
      'Line 5: not valid JSON',
      'Line 4: simple_9: no possible answer for this question',
    ]);
    expect(cases[0]?.question).toMatch(/^Find the area/);
    expect(cases[0]?.functions[0]?.parameters).toMatchObject({ type: 'object', required: ['base', 'height'] });
    expect(cases[1]?.expected).toEqual([
      { name: 'weather.get', arguments: { location: ['Boston, MA', 'Boston'], days: [''] } },
      { name: 'weather.get', arguments: { location: ['Miami'] } },
    ]);
    expect(cases[2]?.expected).toEqual([]);
  });

  it('loads cases the scorer can use', () => {
    const [triangle] = loadBfcl(questions, answers).cases;
    if (!triangle) throw new Error('no case');
    expect(
      scoreAnswer(triangle, '{"name": "calculate_triangle_area", "arguments": {"base": 10, "height": 5}}').correct,
    ).toBe(true);
    expect(
      scoreAnswer(triangle, '{"name": "calculate_triangle_area", "arguments": {"base": 5, "height": 10}}').correct,
    ).toBe(false);
  });

  it('reads the category from the id, else from the answer', () => {
    expect(bfclCategory('live_parallel_multiple_3-1-0', undefined, 1)).toBe('parallel');
    expect(bfclCategory('live_irrelevance_12-0-0', undefined, 1)).toBe('irrelevance');
    expect(bfclCategory('multiple_40', undefined, 4)).toBe('multiple');
    expect(bfclCategory('java_3', [{ name: 'f', arguments: {} }], 2)).toBe('multiple');
    expect(bfclCategory('java_3', [{ name: 'f', arguments: {} }], 1)).toBe('simple');
  });
});

describe('convertBfclSchema', () => {
  it('maps Python type names to JSON Schema, recursively', () => {
    expect(
      convertBfclSchema({
        type: 'dict',
        properties: {
          point: { type: 'tuple', items: { type: 'float' }, description: 'x, y' },
          options: { type: 'dict', properties: { verbose: { type: 'boolean' }, retries: { type: 'integer' } } },
          payload: { type: 'any' },
          tags: { type: 'array', items: { type: 'string' } },
          handle: { type: 'HashMap' },
        },
        required: ['point'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        point: { type: 'array', items: { type: 'number' }, description: 'x, y' },
        options: { type: 'object', properties: { verbose: { type: 'boolean' }, retries: { type: 'integer' } } },
        payload: {},
        tags: { type: 'array', items: { type: 'string' } },
        handle: {},
      },
      required: ['point'],
    });
  });
});

describe("BFCL functions go through the editor's checks (issue 14)", () => {
  it('skips a question whose function the editor would refuse, listing every reason', () => {
    const line = (id: string, fn: unknown) => JSON.stringify({ id, question: 'q?', function: fn });
    const bad = [
      line('simple_1', [
        { name: 'math.check', parameters: { type: 'dict', properties: { s: { type: 'string', pattern: '^(a+)+$' } } } },
        { name: 'bad name', parameters: { type: 'dict', properties: {} } },
      ]),
      line('simple_2', [
        { name: 'ok.fine', parameters: { type: 'dict', properties: { s: { type: 'string', pattern: '^[a-z]+$' } } } },
      ]),
    ].join('\n');
    const truth = [
      JSON.stringify({ id: 'simple_1', ground_truth: [{ 'math.check': { s: ['a'] } }] }),
      JSON.stringify({ id: 'simple_2', ground_truth: [{ 'ok.fine': { s: ['a'] } }] }),
    ].join('\n');
    const { cases, skipped } = loadBfcl(bad, truth);
    expect(cases.map((c) => c.id)).toEqual(['simple_2']);
    expect(cases[0]?.functions[0]?.name).toBe('ok.fine');
    const reasons = skipped.map((e) => e.message);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toContain('simple_1: function "math.check" refused');
    expect(reasons[0]).toContain('exponential time: a nested quantifier in "(a+)+"');
    expect(reasons[1]).toContain('function "bad name" refused');
  });
});
