/** Engine errors across the worker boundary: serialized, structured-cloned as postMessage does, rebuilt. */
import { describe, expect, it } from 'vitest';
import {
  DeviceLostError,
  EngineNotLoadedError,
  ModelLibraryMismatchError,
  ModelNotFoundError,
  NetworkError,
  QuotaExceededError,
  ShaderF16NotSupportedError,
  WebGPUNotAvailableError,
} from '../../../src/engine/errors.ts';
import { deserializeError, serializeError } from '../../../src/engine/errorWire.ts';
import { wordError } from '../../../src/engine/errorWording.ts';

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** Through the wire: serialize, structured-clone (what postMessage does), rebuild. */
const roundTrip = (e: unknown, phase: 'load' | 'generate' | 'other' = 'other') =>
  deserializeError(structuredClone(serializeError(e, phase)));

describe('engine errors across the worker boundary', () => {
  it('keeps the class, message and data of our own errors', () => {
    const back = roundTrip(new NetworkError('Failed to fetch shard', { url: 'https://x/y.bin', status: 404 }));
    expect(back).toBeInstanceOf(NetworkError);
    expect(back.name).toBe('NetworkError');
    expect(back.message).toBe('Failed to fetch shard');
    expect(back.data).toEqual({ url: 'https://x/y.bin', status: 404 });
    expect(wordError(back).message).toContain('https://x/y.bin');
  });

  it('sends plain data only: no stack, no cause, no undefined fields', () => {
    const wire = serializeError(new NetworkError('x', { url: undefined, status: 500 }, { cause: new Error('inner') }));
    expect(wire).toEqual({ name: 'NetworkError', message: 'x', data: { status: 500 } });
  });

  it.each([
    [named('WebGPUNotAvailableError', 'WebGPU is not supported in your current environment'), WebGPUNotAvailableError],
    [named('ShaderF16SupportError', 'This model requires WebGPU extension shader-f16'), ShaderF16NotSupportedError],
    [named('DeviceLostError', 'The WebGPU device was lost while loading the model.'), DeviceLostError],
    [
      named('ModelNotFoundError', 'Cannot find model record in appConfig for Foo-MLC. Please check'),
      ModelNotFoundError,
    ],
    [
      named('ModelNotLoadedError', 'Model not loaded before trying to complete ChatCompletionRequest.'),
      EngineNotLoadedError,
    ],
    [new DOMException('The quota has been exceeded.', 'QuotaExceededError'), QuotaExceededError],
    [new TypeError('Failed to fetch'), NetworkError],
    [new Error('Unable to find a compatible GPU. This issue might be because your computer'), WebGPUNotAvailableError],
  ])('a web-llm / browser failure %# arrives as our class', (thrown, cls) => {
    expect(roundTrip(thrown)).toBeInstanceOf(cls);
  });

  it('a WebAssembly LinkError arrives as a library mismatch that still names the import', () => {
    const link = named(
      'LinkError',
      'WebAssembly.instantiate(): Import #12 "env" "TVMFFIEnvSetStream": function import requires a callable',
    );
    const back = roundTrip(link, 'load');
    expect(back).toBeInstanceOf(ModelLibraryMismatchError);
    expect(back.data.missingImport).toBe('TVMFFIEnvSetStream');
  });

  it('sorts toString()-ed web-llm strings by the class name they start with', () => {
    const back = deserializeError({
      name: 'Error',
      message: 'ModelNotFoundError: Cannot find model record in appConfig for X-MLC. Please check',
      data: {},
    });
    expect(back).toBeInstanceOf(ModelNotFoundError);
    expect(back.data.modelId).toBe('X-MLC');
  });

  it('rebuilds unknown web-llm names from the wire instead of dropping them', () => {
    const back = deserializeError({ name: 'ShaderF16SupportError', message: 'needs shader-f16', data: {} });
    expect(back).toBeInstanceOf(ShaderF16NotSupportedError);
    expect(wordError(back).advice).toMatch(/q4f32/);
  });
});
