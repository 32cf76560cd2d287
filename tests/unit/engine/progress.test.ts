import { describe, expect, it } from 'vitest';
import {
  advanceProgress,
  DOWNLOAD_SHARE,
  parseProgress,
  phaseOf,
  stepLabel,
  type LoadProgressView,
} from '../../../src/engine/progress.ts';

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

describe('advanceProgress', () => {
  // The reports web-llm sends for a first load: the weights to 100%, then the shaders from 1% again.
  const reports = [
    { progress: 0, text: 'Start to fetch params' },
    { progress: 0.5, text: 'Fetching param cache[54/108]: 800MB fetched. 50% completed, 9 secs elapsed.' },
    { progress: 1, text: 'Fetching param cache[108/108]: 1600MB fetched. 100% completed, 19 secs elapsed.' },
    { progress: 0.01, text: 'Loading GPU shader modules[1/80]: 1% completed, 0 secs elapsed.' },
    { progress: 0.5, text: 'Loading GPU shader modules[40/80]: 50% completed, 1 secs elapsed.' },
    { progress: 1, text: 'Loading GPU shader modules[80/80]: 100% completed, 2 secs elapsed.' },
    { progress: 1, text: 'Finish loading on WebGPU - google' },
  ];

  function run(texts: { progress: number; text: string }[]): LoadProgressView[] {
    const views: LoadProgressView[] = [];
    let view: LoadProgressView | null = null;
    for (const r of texts) {
      view = advanceProgress(view, parseProgress({ ...r, timeElapsed: 0 }, 0));
      views.push(view);
    }
    return views;
  }

  it("never goes backwards when shader compilation restarts web-llm's fraction", () => {
    const overall = run(reports).map((v) => v.overall);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    expect(overall[2]).toBeCloseTo(DOWNLOAD_SHARE);
    expect(overall[3]).toBeGreaterThan(DOWNLOAD_SHARE);
    expect(overall.at(-1)).toBe(1);
  });

  it('names the download step, then the GPU step', () => {
    const steps = run(reports).map((v) => v.step);
    expect(steps).toEqual(['download', 'download', 'download', 'gpu', 'gpu', 'gpu', 'gpu']);
    expect(stepLabel(run(reports)[1] as LoadProgressView)).toBe('Step 1 of 2: downloading the model');
    expect(stepLabel(run(reports)[4] as LoadProgressView)).toBe('Step 2 of 2: preparing the GPU');
  });

  it('says the weights come from the browser cache when they do', () => {
    const [view] = run([{ progress: 0.3, text: 'Loading model from cache[3/10]: 300MB loaded. 30% completed.' }]);
    expect(view && stepLabel(view)).toBe('Step 1 of 2: reading the model from the browser cache');
    expect(view?.overall).toBeCloseTo(0.3 * DOWNLOAD_SHARE);
  });

  it('keeps the bar and the step where they were on an unknown report or a late download report', () => {
    const views = run([
      reports[4] as { progress: number; text: string },
      { progress: 0, text: 'Something web-llm says that we do not know' },
      { progress: 0.9, text: 'Fetching param cache[97/108]: 1500MB fetched. 90% completed.' },
    ]);
    expect(views.map((v) => v.step)).toEqual(['gpu', 'gpu', 'gpu']);
    expect(views[1]?.overall).toBe(views[0]?.overall);
    expect(views[2]?.overall).toBe(views[0]?.overall);
  });
});
