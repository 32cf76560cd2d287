import { describe, expect, it } from 'vitest';
import { checkServerUrl, suggestServerName } from '../../../src/mcp/serverUrl.ts';

const self = 'https://callama.example';

describe('checkServerUrl', () => {
  it('accepts loopback servers and the site itself', () => {
    expect(checkServerUrl(' http://localhost:3000/mcp#x ', self)).toEqual({
      ok: true,
      url: 'http://localhost:3000/mcp',
    });
    expect(checkServerUrl('http://127.0.0.1:8931/sse', self).ok).toBe(true);
    expect(checkServerUrl('https://callama.example/mcp', self).ok).toBe(true);
  });

  it('refuses hosts the page may not reach, saying why, without contacting them', () => {
    const check = checkServerUrl('https://tools.example.com/mcp', self);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain('may not connect to https://tools.example.com');
    expect(!check.ok && check.reason).toContain('CALLAMA_MODEL_HOSTS');
  });

  it('refuses what is not an http(s) address, and credentials in it', () => {
    expect(checkServerUrl('localhost:3000', self).ok).toBe(false);
    expect(checkServerUrl('ftp://localhost/mcp', self).ok).toBe(false);
    expect(checkServerUrl('http://user:pw@localhost:3000/mcp', self).ok).toBe(false);
  });
});

describe('suggestServerName', () => {
  it('takes the host name, made unique', () => {
    expect(suggestServerName('http://localhost:3000/mcp', [])).toBe('localhost');
    expect(suggestServerName('http://localhost:3001/mcp', ['localhost'])).toBe('localhost2');
    expect(suggestServerName('http://127.0.0.1:3001/mcp', [])).toBe('mcp_127');
  });
});
