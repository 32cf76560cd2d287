/** What each engine failure tells the user: a sentence from its class and data, and advice where there is any. */
import { describe, expect, it } from 'vitest';
import {
  ENGINE_ERROR_CLASSES,
  EngineError,
  GenerationError,
  ModelHostNotAllowedError,
  ModelIntegrityError,
  ModelLibraryMismatchError,
  ModelNotFoundError,
  NetworkError,
  PromptRenderingMismatchError,
  WorkerCrashedError,
} from '../../../src/engine/errors.ts';
import { wordError } from '../../../src/engine/errorWording.ts';
import { describeLoadFailure, modelHostOf } from '../../../src/engine/loadFailure.ts';
import { CATALOG } from '../../../src/engine/catalog.ts';

describe('wordError', () => {
  it('words every class other than the two generic ones, and never with the raw message alone', () => {
    for (const [name, C] of Object.entries(ENGINE_ERROR_CLASSES)) {
      const err = new C('raw web-llm text', { modelId: 'M', url: 'https://h/x', needed: 'raw' });
      expect(err.name).toBe(name);
      const wording = wordError(err);
      if (name === 'EngineError' || name === 'GenerationError')
        expect(wording).toEqual({ message: 'raw web-llm text' });
      else expect(wording.message).not.toBe('raw web-llm text');
    }
  });

  it('names the missing import of a library built for another web-llm, and the version to build for', () => {
    const w = wordError(new ModelLibraryMismatchError('x', { missingImport: 'TVMFFIFoo' }));
    expect(w.message).toBe(
      'The model library was compiled for a different web-llm version (it asks for "TVMFFIFoo", which this version lacks). This app runs web-llm 0.2.86.',
    );
    expect(w.advice).toContain('modelVersion v0_2_86');
    expect(wordError(new ModelLibraryMismatchError('x')).message).not.toContain('asks for');
  });

  it('shows the file and both hashes of an integrity failure', () => {
    const w = wordError(
      new ModelIntegrityError('x', { url: 'https://h/t.json', expected: 'sha256-A', actual: 'sha256-B' }),
    );
    expect(w.message).toBe('https://h/t.json does not match its integrity hash; nothing was kept.');
    expect(w.advice).toContain('Expected sha256-A, got sha256-B.');
    expect(wordError(new ModelIntegrityError('x')).message).toBe(
      'A model file does not match its integrity hash; nothing was kept.',
    );
  });

  it('says which way a prompt rendering mismatch goes', () => {
    expect(wordError(new PromptRenderingMismatchError('x', { needed: 'raw' })).message).toMatch(
      /cannot be grammar-constrained/,
    );
    expect(wordError(new PromptRenderingMismatchError('x', { needed: 'template' })).message).toMatch(
      /cannot take chat messages/,
    );
  });

  it('puts the data into the sentence: model id, host, crash reason', () => {
    expect(wordError(new ModelNotFoundError('x', { modelId: 'Foo-MLC' })).message).toBe(
      'The model "Foo-MLC" is not in the catalog or your custom models.',
    );
    expect(wordError(new ModelHostNotAllowedError('x', { url: 'https://evil.example/m' })).message).toBe(
      'This site does not allow downloads from https://evil.example.',
    );
    expect(wordError(new WorkerCrashedError('out of memory')).message).toBe(
      'The engine stopped unexpectedly (out of memory).',
    );
  });

  it('has no advice for failures the user cannot act on', () => {
    expect(wordError(new GenerationError('x')).advice).toBeUndefined();
    expect(wordError(new EngineError('x')).advice).toBeUndefined();
  });
});

describe('a failed download', () => {
  const failedFetch = new NetworkError('Failed to fetch');
  const noDelete = { deleteCachedModel: () => Promise.resolve() };

  it('says "You are offline" and names the host when the browser knows it is offline', () => {
    const w = wordError(failedFetch, { online: false, host: 'huggingface.co' });
    expect(w.message).toBe('You are offline, so the model files cannot be downloaded from huggingface.co.');
    expect(w.advice).toMatch(/^Connect to the internet and try again; files already downloaded are kept/);
  });

  it('says it appears to be offline when the request got no answer though the browser claims to be online', () => {
    const w = wordError(failedFetch, { online: true, host: 'huggingface.co' });
    expect(w.message).toBe(
      'You appear to be offline: huggingface.co could not be reached, so the model files cannot be downloaded.',
    );
    expect(w.message).not.toMatch(/Failed to fetch/);
  });

  it('gives an HTTP error its status and file, not "offline"', () => {
    const w = wordError(new NetworkError('x', { url: 'https://huggingface.co/m/shard_3.bin', status: 404 }), {
      online: true,
    });
    expect(w.message).toBe(
      'A model file could not be downloaded from huggingface.co (HTTP 404, https://huggingface.co/m/shard_3.bin).',
    );
    expect(w.message).not.toMatch(/offline/);
  });

  it('finds the host of a catalog model and of a custom one', () => {
    const model = CATALOG[0];
    if (!model) throw new Error('empty catalog');
    expect(modelHostOf({ kind: 'catalog', id: model.id })).toBe(new URL(model.modelUrl).host);
    const record = {
      id: 'c',
      displayName: 'c',
      modelUrl: 'http://127.0.0.1:8000/m/resolve/main/',
      modelLibUrl: 'http://127.0.0.1:8000/m.wasm',
      formatId: model.formatId,
      requiredFeatures: [],
    };
    expect(modelHostOf({ kind: 'custom', record })).toBe('127.0.0.1:8000');
  });

  it('is worded from the browser\'s own "Failed to fetch" for the app and the widget alike', async () => {
    const model = CATALOG[0];
    if (!model) throw new Error('empty catalog');
    const source = { kind: 'catalog', id: model.id } as const;
    const failure = await describeLoadFailure(new TypeError('Failed to fetch'), noDelete, source, 'x', false);
    expect(failure.name).toBe('NetworkError');
    expect(failure.message).toBe(
      `You are offline, so the model files cannot be downloaded from ${new URL(model.modelUrl).host}.`,
    );
  });
});
