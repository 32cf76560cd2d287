/**
 * An engine with nothing in it, for unit tests in Node: every Engine method exists (the interface has
 * no optional ones), and each does the least a real engine could: loads succeed at once and nothing
 * was cached, no cache holds anything, tokenizing fails as on an engine with no model (so the chat
 * falls back to its estimate), no generation ever lags behind a Stop. Test engines extend it and
 * override what their test scripts.
 */
import {
  modelIdOf,
  type CachedModelInfo,
  type Engine,
  type LoadProgress,
  type LoadResult,
  type ModelSource,
  type TokenizeResult,
} from '../../src/engine/engine.ts';
import { EngineNotLoadedError } from '../../src/engine/errors.ts';
import type { GenerateRequest, GenerateResult } from '../../src/lib/types/generation.ts';

export class InertEngine implements Engine {
  async load(source: ModelSource, _onProgress?: (p: LoadProgress) => void): Promise<LoadResult> {
    return { modelId: modelIdOf(source), elapsedMs: 0, fromCache: false };
  }
  async unload(): Promise<void> {}
  cancelLoad(): void {}
  async generate(_request: GenerateRequest, _onDelta?: (delta: string, text: string) => void): Promise<GenerateResult> {
    return { text: '', finishReason: 'stop' };
  }
  interrupt(): void {}
  finishingStopped(): boolean {
    return false;
  }
  onDeviceLost(_listener: (message: string) => void): () => void {
    return () => undefined;
  }
  onCrash(_listener: (message: string) => void): () => void {
    return () => undefined;
  }
  restart(): void {}
  async cacheStatus(models: ModelSource[]): Promise<CachedModelInfo[]> {
    return models.map((m) => ({ modelId: modelIdOf(m), cached: false }));
  }
  async deleteCachedModel(_model: ModelSource): Promise<void> {}
  async tokenize(_text: string): Promise<TokenizeResult> {
    throw new EngineNotLoadedError('The inert test engine has no tokenizer.');
  }
}
