import { describe, expect, it } from 'vitest';
import { forgetOAuth, readOAuth, signedIn, writeOAuth, OAUTH_KEY_PREFIX } from '../../../src/mcp/oauthStore.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

describe('oauthStore', () => {
  it('keeps each server apart; signed in only with an access token; Sign out forgets everything', () => {
    const storage = new MemoryStorage();
    writeOAuth(storage, 'a', (r) => ({ ...r, verifier: 'v', state: 's' }));
    expect(signedIn(storage, 'a')).toBe(false);
    writeOAuth(storage, 'a', (r) => ({ ...r, tokens: { access_token: 't', token_type: 'bearer' } }));
    expect(signedIn(storage, 'a')).toBe(true);
    expect(signedIn(storage, 'b')).toBe(false);
    expect(readOAuth(storage, 'a')).toEqual({
      verifier: 'v',
      state: 's',
      tokens: { access_token: 't', token_type: 'bearer' },
    });
    forgetOAuth(storage, 'a');
    expect(storage.getItem(`${OAUTH_KEY_PREFIX}a`)).toBeNull();
    expect(signedIn(storage, 'a')).toBe(false);
  });

  it('reads unreadable storage as nothing stored', () => {
    const storage = new MemoryStorage();
    storage.setItem(`${OAUTH_KEY_PREFIX}a`, '{not json');
    expect(readOAuth(storage, 'a')).toEqual({});
    expect(readOAuth(undefined, 'a')).toEqual({});
  });
});
