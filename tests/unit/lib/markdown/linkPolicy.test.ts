import { describe, expect, it } from 'vitest';
import { safeHref } from '../../../../src/lib/markdown/linkPolicy.ts';

describe('safeHref', () => {
  it('keeps absolute http and https addresses', () => {
    expect(safeHref('https://example.com/a?b=1#c')).toBe('https://example.com/a?b=1#c');
    expect(safeHref('http://example.com')).toBe('http://example.com/');
    expect(safeHref('HTTPS://EXAMPLE.com/x')).toBe('https://example.com/x');
  });

  it('refuses scripts, data, other schemes and relative addresses', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      'file:///etc/passwd',
      'mailto:a@b.c',
      '/relative',
      '#top',
      '//example.com/protocol-relative',
      '',
    ])
      expect(safeHref(url), url).toBeUndefined();
  });
});
