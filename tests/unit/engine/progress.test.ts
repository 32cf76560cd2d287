import { describe, expect, it } from 'vitest';
import { parseProgress, phaseOf } from '../../../src/engine/progress.ts';

const MIB = 1024 * 1024;

describe('parseProgress', () => {
  it('reads downloaded bytes and recovers the total from web-llm fetch text', () => {
    const p = parseProgress(
      {
        progress: 0.25,
        timeElapsed: 30,
        text: 'Fetching param cache[27/108]: 412MB fetched. 25% completed, 30 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
      },
      31_000,
    );
    expect(p.phase).toBe('fetch');
    expect(p.loadedBytes).toBe(412 * MIB);
    expect(p.totalBytes).toBe(412 * 4 * MIB);
    expect(p.fraction).toBe(0.25);
    expect(p.elapsedMs).toBe(31_000);
  });

  it('reads cache loads too, and gives no bytes for shader compilation', () => {
    expect(
      parseProgress(
        {
          progress: 0.5,
          timeElapsed: 1,
          text: 'Loading model from cache[54/108]: 800MB loaded. 50% completed, 1 secs elapsed.',
        },
        1,
      ).loadedBytes,
    ).toBe(800 * MIB);
    const shader = parseProgress(
      { progress: 0.15, timeElapsed: 2, text: 'Loading GPU shader modules[12/80]: 15% completed, 2 secs elapsed.' },
      2,
    );
    expect(shader.phase).toBe('shader');
    expect(shader.loadedBytes).toBeUndefined();
  });

  it('clamps odd fractions and recognises start and finish', () => {
    expect(parseProgress({ progress: Number.NaN, timeElapsed: 0, text: 'Start to fetch params' }, 0).fraction).toBe(0);
    expect(phaseOf('Finish loading on WebGPU - google')).toBe('done');
    expect(phaseOf('something new')).toBe('other');
  });
});
