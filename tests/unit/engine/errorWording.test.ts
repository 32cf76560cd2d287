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
  PromptRenderingMismatchError,
  WorkerCrashedError,
} from '../../../src/engine/errors.ts';
import { wordError } from '../../../src/engine/errorWording.ts';

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
