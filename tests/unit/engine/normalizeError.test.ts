/** web-llm message classification: every kind of failure web-llm or the browser throws, sorted into our classes. */
import { describe, expect, it } from 'vitest';
import {
  DeviceLostError,
  EngineNotLoadedError,
  GenerationError,
  ModelIntegrityError,
  ModelLibraryMismatchError,
  ModelLoadError,
  ModelNotFoundError,
  NetworkError,
  QuotaExceededError,
  ShaderF16NotSupportedError,
  WebGPUNotAvailableError,
  WorkerCrashedError,
} from '../../../src/engine/errors.ts';
import { normalizeError } from '../../../src/engine/normalizeError.ts';

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('normalizeError', () => {
  it.each([
    ['by name', named('WebGPUNotFoundError', 'no adapter'), WebGPUNotAvailableError],
    ['by text', new Error('Cannot initialize runtime because of requested maxBufferSize'), WebGPUNotAvailableError],
    ['by name', named('ShaderF16SupportError', 'x'), ShaderF16NotSupportedError],
    ['by text', new Error('f16 is not supported on this device'), ShaderF16NotSupportedError],
    ['by text', new Error('GPU device was lost'), DeviceLostError],
    ['by text', new Error('Cannot find model record in appConfig for A-MLC. Please check'), ModelNotFoundError],
    ['by text', new Error('function import requires a callable'), ModelLibraryMismatchError],
    ['by name', new DOMException('no room', 'QuotaExceededError'), QuotaExceededError],
    ['by text', new Error('Network response was not ok, status 404, https://h/a.bin'), NetworkError],
    ['by name', named('WorkerEngineModelNotLoadedError', 'x'), EngineNotLoadedError],
    ['by name', named('WorkerCrashedError', 'gone'), WorkerCrashedError],
    ['from a string', 'Error: Failed to fetch https://h/x', NetworkError],
  ])('sorts a failure %s (%#)', (_how, thrown, cls) => {
    expect(normalizeError(thrown)).toBeInstanceOf(cls);
  });

  it('keeps the file and status of a failed download', () => {
    const err = normalizeError(
      new Error('Network response was not ok, status 404, url https://h/m/params_shard_3.bin.'),
    );
    expect(err.data).toMatchObject({ url: 'https://h/m/params_shard_3.bin', status: 404 });
  });

  it("reads web-llm's IntegrityError fields, or its text when only the text is left", () => {
    const text =
      'Integrity verification failed for https://h/m/tokenizer.json\n  Expected: sha256-AAA\n  Actual: sha256-BBB';
    const fromFields = normalizeError(
      Object.assign(new Error('bad'), { name: 'IntegrityError', url: 'u', expected: 'e', actual: 'a' }),
    );
    expect(fromFields).toBeInstanceOf(ModelIntegrityError);
    expect(fromFields.data).toMatchObject({ url: 'u', expected: 'e', actual: 'a' });
    const fromText = normalizeError(new Error(text));
    expect(fromText.data).toMatchObject({
      url: 'https://h/m/tokenizer.json',
      expected: 'sha256-AAA',
      actual: 'sha256-BBB',
    });
  });

  it('reads the missing import of a LinkError, and says which web-llm it was checked against', () => {
    const err = normalizeError(
      named(
        'LinkError',
        'WebAssembly.instantiate(): Import #12 "env" "TVMFFIEnvSetStream": function import requires a callable',
      ),
    );
    expect(err.data).toMatchObject({
      missingImport: 'TVMFFIEnvSetStream',
      runtimeVersion: '0.2.86',
      modelVersion: 'v0_2_86',
    });
  });

  it('passes our own errors through unchanged and adds the context to sorted ones', () => {
    const ours = new EngineNotLoadedError('x');
    expect(normalizeError(ours)).toBe(ours);
    expect(normalizeError(new Error('odd'), 'load', { modelId: 'M' }).data).toMatchObject({ modelId: 'M' });
  });

  it('keeps the original error as cause and falls back by phase', () => {
    const original = new Error('something odd');
    expect(normalizeError(original, 'load')).toBeInstanceOf(ModelLoadError);
    const gen = normalizeError(original, 'generate');
    expect(gen).toBeInstanceOf(GenerationError);
    expect(gen.cause).toBe(original);
  });
});
