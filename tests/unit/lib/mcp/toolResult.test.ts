import { describe, expect, it } from 'vitest';
import { mapToolResult } from '../../../../src/lib/mcp/toolResult.ts';

describe('mapToolResult', () => {
  it('joins text blocks', () => {
    expect(
      mapToolResult({
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      }),
    ).toEqual({ ok: true, value: 'one\n\ntwo' });
  });

  it('gives structured content alone when the text only repeats it as JSON', () => {
    expect(mapToolResult({ content: [{ type: 'text', text: '{"sum": 5}' }], structuredContent: { sum: 5 } })).toEqual({
      ok: true,
      value: { sum: 5 },
    });
  });

  it('keeps text that says more beside the structured content', () => {
    expect(mapToolResult({ content: [{ type: 'text', text: '2 + 3 = 5' }], structuredContent: { sum: 5 } })).toEqual({
      ok: true,
      value: { text: '2 + 3 = 5', structuredContent: { sum: 5 } },
    });
  });

  it('turns isError into a failure with the server text', () => {
    expect(mapToolResult({ isError: true, content: [{ type: 'text', text: 'db down' }] })).toEqual({
      ok: false,
      message: 'db down',
    });
    expect(mapToolResult({ isError: true, content: [] })).toEqual({
      ok: false,
      message: 'The server reported an error without saying what went wrong.',
    });
  });

  it('names blocks the model cannot read, and reads embedded text resources', () => {
    const result = mapToolResult({
      content: [
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///a.txt', text: 'file text' } },
        { type: 'resource', resource: { uri: 'file:///b.bin', blob: 'AAAA' } },
        { type: 'resource_link', uri: 'https://x.test/doc', name: 'doc' },
        { type: 'unknown-kind' },
      ],
    });
    expect(result).toEqual({
      ok: true,
      value:
        '[image (image/png): not shown to the model]\n\nfile text\n\n[binary resource file:///b.bin: not shown to the model]\n\n[link doc: https://x.test/doc]',
    });
  });

  it('refuses something that is not a result', () => {
    expect(mapToolResult('nope')).toEqual({
      ok: false,
      message: 'The server sent something that is not a tool result.',
    });
  });
});
