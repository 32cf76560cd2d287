import { describe, expect, it } from 'vitest';
import { fromTrelisV2, toTrelisV2 } from '../../../../src/lib/prompt/trelisV2.ts';
import { goldenMetas } from '../../../fixtures/seeds/golden.ts';

describe('fromTrelisV2 / toTrelisV2', () => {
  it.each(Object.entries(goldenMetas))('round-trips the %s metadata exactly, key order included', (_, meta) => {
    const back = toTrelisV2(fromTrelisV2(meta));
    expect(back).toEqual(meta);
    expect(JSON.stringify(back)).toBe(JSON.stringify(meta));
  });

  it('turns the seed search_bing metadata into a JSON Schema with a required string', () => {
    expect(fromTrelisV2(goldenMetas.search_bing ?? { function: '', arguments: [] })).toEqual({
      name: 'search_bing',
      description:
        'Search the web for content on Bing. This allows users to search online/the internet/the web for content.',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', description: 'The search query string' } },
        required: ['query'],
      },
    });
  });

  it('maps every v2 type; arrays hold strings unless items say otherwise', () => {
    const spec = fromTrelisV2({
      function: 'f',
      arguments: [
        { name: 's', type: 'string' },
        { name: 'n', type: 'number' },
        { name: 'i', type: 'integer' },
        { name: 'b', type: 'boolean' },
        { name: 'a', type: 'array' },
        { name: 'an', type: 'array', items: { type: 'number' } },
        { name: 'o', type: 'object' },
        { name: 'alias', type: 'int' },
      ],
    });
    expect(spec.parameters.properties).toEqual({
      s: { type: 'string' },
      n: { type: 'number' },
      i: { type: 'integer' },
      b: { type: 'boolean' },
      a: { type: 'array', items: { type: 'string' } },
      an: { type: 'array', items: { type: 'number' } },
      o: { type: 'object' },
      alias: { type: 'integer' },
    });
  });

  it('treats arguments whose description says optional or gives a default as not required', () => {
    const spec = fromTrelisV2({
      function: 'f',
      arguments: [
        { name: 'q', type: 'string', description: 'The query' },
        { name: 'n', type: 'integer', description: 'How many results (optional)' },
        { name: 'lang', type: 'string', description: 'Language, defaults to en' },
      ],
    });
    expect(spec.parameters.required).toEqual(['q']);
  });

  it('tells the model which arguments are optional, their default and allowed values', () => {
    const meta = toTrelisV2({
      name: 'get_weather',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string', description: 'City name' },
          unit: { type: 'string', enum: ['C', 'F'], default: 'C' },
          days: { type: ['integer', 'null'] },
        },
        required: ['city'],
      },
    });
    expect(meta).toEqual({
      function: 'get_weather',
      arguments: [
        { name: 'city', type: 'string', description: 'City name' },
        { name: 'unit', type: 'string', description: '(one of: "C", "F") (optional, default: "C")' },
        { name: 'days', type: 'integer', description: '(optional)' },
      ],
    });
    // …and reading it back keeps them optional.
    expect(fromTrelisV2(meta).parameters.required).toEqual(['city']);
  });
});
