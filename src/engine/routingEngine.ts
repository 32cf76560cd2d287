/**
 * The app's engine when models can run in two places: in this browser (web-llm in its worker, or the
 * test double: whatever createEngine.ts made) or on a model server (server/serverEngine.ts, real HTTP
 * in every build). It only routes: a `{ kind: 'server' }` source goes to the server engine, any other
 * to the local one, and generation goes to whichever loaded the current model. Loading one unloads the
 * other, so a browser model does not hold GPU memory while a server answers (and vice versa no
 * request is sent to a server the user switched away from).
 *
 * The server engine's code (its protocols, stream reader, constraints) is fetched with the first
 * server load: most visitors never use one, and the first screen does not need it.
 */
import type { GenerateRequest, GenerateResult } from '../lib/types/generation.ts';
import type { CachedModelInfo, Engine, LoadProgress, LoadResult, ModelSource, TokenizeResult } from './engine.ts';
import { EngineError } from './errors.ts';
import type { ServerEngine } from './server/serverEngine.ts';

export class RoutingEngine implements Engine {
  readonly #local: Engine;
  readonly #loadServer: () => Promise<ServerEngine>;
  #server: ServerEngine | undefined;
  #onServer = false;

  /** @param server the server engine, or how to get it (a dynamic import) when the first server model loads */
  constructor(local: Engine, server: ServerEngine | (() => Promise<ServerEngine>)) {
    this.#local = local;
    if (typeof server === 'function') {
      this.#loadServer = server;
    } else {
      this.#server = server;
      this.#loadServer = () => Promise.resolve(server);
    }
  }

  async load(source: ModelSource, onProgress?: (p: LoadProgress) => void): Promise<LoadResult> {
    if (source.kind === 'server') {
      if (!this.#onServer) await this.#local.unload().catch(() => undefined);
      this.#onServer = true;
      onProgress?.({ fraction: 0, text: `Asking ${source.record.baseUrl} what it runs…`, elapsedMs: 0 });
      this.#server ??= await this.#loadServer();
      return this.#server.load(source.record);
    }
    this.#server?.unload();
    this.#onServer = false;
    return this.#local.load(source, onProgress);
  }

  async unload(): Promise<void> {
    this.#server?.unload();
    if (this.#onServer) {
      this.#onServer = false;
      return;
    }
    await this.#local.unload();
  }

  generate(request: GenerateRequest, onDelta?: (delta: string, text: string) => void): Promise<GenerateResult> {
    return this.#onServer && this.#server
      ? this.#server.generate(request, onDelta)
      : this.#local.generate(request, onDelta);
  }

  /** A server load is one request, dropped by unload; a browser load stops its downloads. */
  cancelLoad(): void {
    if (this.#onServer) this.#server?.unload();
    else this.#local.cancelLoad();
  }

  interrupt(): void {
    if (this.#onServer) this.#server?.interrupt();
    else this.#local.interrupt();
  }

  finishingStopped(): boolean {
    return this.#onServer ? false : this.#local.finishingStopped();
  }

  onDeviceLost(listener: (message: string) => void): () => void {
    return this.#local.onDeviceLost(listener);
  }

  onCrash(listener: (message: string) => void): () => void {
    return this.#local.onCrash(listener);
  }

  restart(): void {
    this.#local.restart();
  }

  /** Server models have nothing in the browser cache. */
  async cacheStatus(models: ModelSource[]): Promise<CachedModelInfo[]> {
    const local = models.filter((m) => m.kind !== 'server');
    const servers = models.flatMap((m) => (m.kind === 'server' ? [{ modelId: m.record.id, cached: false }] : []));
    return [...(local.length > 0 ? await this.#local.cacheStatus(local) : []), ...servers];
  }

  async deleteCachedModel(model: ModelSource): Promise<void> {
    if (model.kind !== 'server') await this.#local.deleteCachedModel(model);
  }

  async tokenize(text: string): Promise<TokenizeResult> {
    if (this.#onServer) {
      throw new EngineError('Token ids come from the browser’s tokenizer; a server model has none here.');
    }
    return this.#local.tokenize(text);
  }
}
