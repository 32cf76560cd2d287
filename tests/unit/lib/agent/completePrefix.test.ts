import { describe, expect, it } from 'vitest';
import { completePrefix } from '../../../../src/lib/agent/completePrefix.ts';

describe('completePrefix', () => {
  it('keeps text that closes everything it opens', () => {
    const text = 'Sure: {"name": "f", "arguments": {"a": "}"}} done';
    expect(completePrefix(text)).toBe(text);
  });

  it('drops the whole structure still open at the end, even inside a string', () => {
    expect(completePrefix('Calling: [{"name": "f"}, {"name": "g", "arguments": {"a": "hel')).toBe('Calling: ');
  });

  it('cuts back to the end of the last complete structure', () => {
    expect(completePrefix('{"name": "f"} {"name": "g", "argu')).toBe('{"name": "f"} ');
  });

  it('handles escaped quotes and python calls', () => {
    expect(completePrefix('{"a": "say \\"hi\\""}')).toBe('{"a": "say \\"hi\\""}');
    expect(completePrefix('[f(x=1), g(y="abc')).toBe('');
  });
});
