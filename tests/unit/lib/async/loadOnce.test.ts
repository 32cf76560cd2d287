import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../../../src/lib/async/loadOnce.ts';

describe('loadOnce', () => {
  it('loads once however many callers ask, and hands each the same result', async () => {
    let calls = 0;
    const load = loadOnce(async () => {
      calls += 1;
      await Promise.resolve();
      return { built: calls };
    });
    const [a, b] = await Promise.all([load(), load()]);
    const c = await load();
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('does not keep a failure: the next caller tries again', async () => {
    let calls = 0;
    const load = loadOnce(async () => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'loaded';
    });
    await expect(load()).rejects.toThrow(TypeError);
    await expect(load()).resolves.toBe('loaded');
    await expect(load()).resolves.toBe('loaded');
    expect(calls).toBe(2);
  });
});
