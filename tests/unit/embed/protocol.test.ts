import { describe, expect, it } from 'vitest';
import {
  MAX_ERROR_LENGTH,
  MAX_FUNCTIONS_PER_MESSAGE,
  isProtocolMessage,
  isTrustedSender,
  parseHostMessage,
  parseOriginList,
} from '../../../src/embed/protocol.ts';

describe('parseHostMessage', () => {
  it('accepts a register message and keeps the definitions for later validation', () => {
    const fn = { name: 'get_stock', parameters: { type: 'object' } };
    expect(parseHostMessage({ type: 'callama:register', functions: [fn] })).toEqual({
      type: 'callama:register',
      functions: [fn],
    });
  });

  it('marks a register message without a list, or with too many functions, as refused with the reason', () => {
    const noList = {
      type: 'callama:register',
      functions: [],
      refusal: '"functions" must be a list of function definitions.',
    };
    expect(parseHostMessage({ type: 'callama:register', functions: {} })).toEqual(noList);
    expect(parseHostMessage({ type: 'callama:register' })).toEqual(noList);
    const many = Array.from({ length: MAX_FUNCTIONS_PER_MESSAGE + 1 }, (_, i) => ({ name: `f${i}` }));
    expect(parseHostMessage({ type: 'callama:register', functions: many })).toEqual({
      type: 'callama:register',
      functions: many,
      refusal: 'A register message may hold at most 64 functions (this one has 65); send them in several messages.',
    });
  });

  it('accepts a result with a value (even undefined or null) or with an error text', () => {
    expect(parseHostMessage({ type: 'callama:result', id: 'a', value: { price: 3 } })).toEqual({
      type: 'callama:result',
      id: 'a',
      value: { price: 3 },
    });
    expect(parseHostMessage({ type: 'callama:result', id: 'a', value: null })).toMatchObject({ value: null });
    expect(parseHostMessage({ type: 'callama:result', id: 'a', error: 'boom' })).toEqual({
      type: 'callama:result',
      id: 'a',
      error: 'boom',
    });
  });

  it('refuses ambiguous or incomplete results', () => {
    expect(parseHostMessage({ type: 'callama:result', id: 'a' })).toBeNull();
    expect(parseHostMessage({ type: 'callama:result', id: 'a', value: 1, error: 'x' })).toBeNull();
    expect(parseHostMessage({ type: 'callama:result', id: '', value: 1 })).toBeNull();
    expect(parseHostMessage({ type: 'callama:result', id: 7, value: 1 })).toBeNull();
    expect(parseHostMessage({ type: 'callama:result', id: 'a', error: { message: 'x' } })).toBeNull();
  });

  it('cuts very long error texts', () => {
    const parsed = parseHostMessage({ type: 'callama:result', id: 'a', error: 'x'.repeat(10_000) });
    expect(parsed && 'error' in parsed ? parsed.error.length : 0).toBe(MAX_ERROR_LENGTH);
  });

  it('accepts unregister with a list of names only', () => {
    expect(parseHostMessage({ type: 'callama:unregister', names: ['a', 'b'] })).toEqual({
      type: 'callama:unregister',
      names: ['a', 'b'],
    });
    expect(parseHostMessage({ type: 'callama:unregister', names: ['a', 1] })).toBeNull();
  });

  it('refuses unknown types and non-objects, including widget-to-host messages', () => {
    for (const data of [
      null,
      'callama:register',
      [],
      { type: 'callama:call', id: 'x', name: 'f' },
      { type: 'other' },
    ]) {
      expect(parseHostMessage(data)).toBeNull();
    }
  });
});

describe('isProtocolMessage', () => {
  it('recognises messages by their callama: prefix', () => {
    expect(isProtocolMessage({ type: 'callama:anything' })).toBe(true);
    expect(isProtocolMessage({ type: 'webpackOk' })).toBe(false);
    expect(isProtocolMessage('callama:ready')).toBe(false);
  });
});

describe('parseOriginList', () => {
  it('normalises origins and drops duplicates', () => {
    expect(parseOriginList(' https://Shop.example , http://localhost:8080/,https://shop.example')).toEqual({
      origins: ['https://shop.example', 'http://localhost:8080'],
      rejected: [],
    });
  });

  it('refuses wildcards, null, paths, queries, credentials and non-http schemes', () => {
    const raw =
      '*,null,https://a.example/page,https://a.example/?x=1,https://u:p@a.example,file:///x,ftp://a.example,not a url';
    const { origins, rejected } = parseOriginList(raw);
    expect(origins).toEqual([]);
    expect(rejected).toHaveLength(8);
  });

  it('gives an empty list for a missing or empty parameter', () => {
    expect(parseOriginList(null)).toEqual({ origins: [], rejected: [] });
    expect(parseOriginList(' , ')).toEqual({ origins: [], rejected: [] });
  });
});

describe('isTrustedSender', () => {
  const parent = { name: 'parent window' };
  const allowed = ['http://localhost:5000'];

  it('trusts the framing window when its origin is allowed', () => {
    expect(isTrustedSender({ origin: 'http://localhost:5000', source: parent }, allowed, parent)).toBe(true);
  });

  it('compares origins exactly: scheme, host and port', () => {
    for (const origin of [
      'http://127.0.0.1:5000',
      'https://localhost:5000',
      'http://localhost:5001',
      'http://localhost:5000/',
      'null',
    ]) {
      expect(isTrustedSender({ origin, source: parent }, allowed, parent)).toBe(false);
    }
  });

  it('refuses an allowed origin when the message does not come from the parent window', () => {
    expect(isTrustedSender({ origin: 'http://localhost:5000', source: { other: true } }, allowed, parent)).toBe(false);
    expect(isTrustedSender({ origin: 'http://localhost:5000', source: null }, allowed, parent)).toBe(false);
  });

  it('trusts nobody when the widget is not framed', () => {
    expect(isTrustedSender({ origin: 'http://localhost:5000', source: null }, allowed, null)).toBe(false);
  });
});
