import { describe, expect, it } from 'vitest';
import { locateJsonPath } from '../../../../src/lib/text/locateJsonPath.ts';

const text = `{
  "name": "weather",
  "parameters": {
    "type": "object",
    "properties": {
      "city": { "type": "objct", "tags": ["a", "b\\"]"] },
      "n": { "minimum": -1.5e3, "ok": true, "none": null }
    },
    "required": ["city", "country"]
  }
}`;

const at = (path: string[]) => {
  const range = locateJsonPath(text, path);
  return range ? text.slice(range.from, range.to) : undefined;
};

describe('locateJsonPath', () => {
  it('finds nested values, array items, numbers, literals and strings with escapes', () => {
    expect(at(['parameters', 'properties', 'city', 'type'])).toBe('"objct"');
    expect(at(['parameters', 'properties', 'city', 'tags', '1'])).toBe('"b\\"]"');
    expect(at(['parameters', 'properties', 'n', 'minimum'])).toBe('-1.5e3');
    expect(at(['parameters', 'properties', 'n', 'ok'])).toBe('true');
    expect(at(['parameters', 'properties', 'n', 'none'])).toBe('null');
    expect(at(['parameters', 'required', '1'])).toBe('"country"');
    expect(at(['name'])).toBe('"weather"');
  });

  it('falls back to the deepest value that exists, and to the whole text for the root', () => {
    expect(at(['parameters', 'properties', 'n', 'maximum'])).toBe('{ "minimum": -1.5e3, "ok": true, "none": null }');
    expect(at([])).toBe(text);
  });

  it('gives up on text that is not JSON', () => {
    expect(locateJsonPath('{"a": ', ['a'])).toBeUndefined();
  });
});
