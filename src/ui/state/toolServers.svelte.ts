/**
 * The MCP tool servers the user added (Settings → Tool servers): their addresses, tokens and tool
 * switches, each server's connection, and the functions their admitted tools add to the registry.
 *
 * Design:
 * - The servers are one localStorage value shared by the tabs (persistence/sharedLocalValue.ts), like
 *   the other settings; the tools themselves are not stored: they are listed again on each connect.
 * - The SDK is loaded with a dynamic import on the first connect (`connect` option), so the shell
 *   carries none of it, and an app without servers never loads it.
 * - `functions` is what FunctionsState adds to the registry: the enabled, admitted tools of each
 *   connected server, each marked `confirm` (the dispatcher asks before every call unless the user
 *   chose "Always allow" for that function name, which names the server: `<server>__<tool>`).
 *   Admission (lib/mcp/admitTools.ts) is derived, so a user function taking a tool's name refuses
 *   the tool at once, with the reason shown on the server's list.
 * - Removing a server closes its connection and forgets "Always allow" for its tools, and its OAuth
 *   tokens (mcp/oauthStore.ts; the sign-in itself is mcp/oauthProvider.ts, loaded with the SDK).
 */
import { admitTools, type ToolAdmission } from '../../lib/mcp/admitTools.ts';
import { mapToolResult } from '../../lib/mcp/toolResult.ts';
import type { RegisteredFunction } from '../../lib/types/dispatch.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { ConnectOptions, ServerConnection } from '../../mcp/mcpClient.ts';
import { checkServerUrl, suggestServerName } from '../../mcp/serverUrl.ts';
import { forgetOAuth, signedIn } from '../../mcp/oauthStore.ts';
import { SharedLocalValue } from '../persistence/sharedLocalValue.ts';
import type { StoreChannel } from '../persistence/storeChannel.ts';
import { parseServers, TIMEOUT_LIMITS, type ToolServerRecord } from './toolServerRecord.ts';
import { TOOL_SERVERS_KEY } from './lazyToolServers.svelte.ts';

export type { ToolServerRecord } from './toolServerRecord.ts';
export { TIMEOUT_LIMITS } from './toolServerRecord.ts';

export { TOOL_SERVERS_KEY } from './lazyToolServers.svelte.ts';

export type ServerStatus =
  | { kind: 'connecting' }
  | { kind: 'connected'; transport: ServerConnection['transport']; serverInfo: string | undefined; signedIn: boolean }
  /** `needsSignIn`: the server answered 401 (a token or an OAuth sign-in is needed). */
  | { kind: 'error'; message: string; needsSignIn: boolean; signedIn: boolean };

export interface ToolServerView {
  record: ToolServerRecord;
  status: ServerStatus;
  admission: ToolAdmission;
}

export interface ToolServersOptions {
  storage: Storage | undefined;
  channel?: StoreChannel;
  /** Function names taken by built-ins and user functions. */
  takenNames?: () => Iterable<string>;
  /** Forgets "Always allow" for a function (consent.svelte.ts `revoke`). */
  revokeConsent?: (functionName: string) => void;
  /** Opens a connection; default: the SDK client, imported on first use. */
  connect?: (options: ConnectOptions) => Promise<ServerConnection>;
  /**
   * Finishes an OAuth sign-in the page came back from (the address holds `code` and `state`);
   * default: the SDK's, imported only then.
   */
  finishSignIn?: (servers: readonly ToolServerRecord[], storage: Storage) => Promise<string | undefined>;
}

export type AddServerResult = { ok: true; id: string } | { ok: false; error: string };

const defaultConnect = async (options: ConnectOptions): Promise<ServerConnection> =>
  (await import('../../mcp/mcpClient.ts')).connectServer(options);

const defaultFinishSignIn = async (servers: readonly ToolServerRecord[], storage: Storage) =>
  (await import('../../mcp/mcpClient.ts')).finishSignIn(servers, storage);

/** Whether the page's address carries an OAuth answer (`?code=…&state=…`). */
function returningFromSignIn(): boolean {
  if (typeof location === 'undefined') return false;
  const params = new URLSearchParams(location.search);
  return params.has('code') && params.has('state');
}

export class ToolServersState {
  readonly #stored: SharedLocalValue<ToolServerRecord[]>;
  readonly #takenNames: () => Iterable<string>;
  readonly #revokeConsent: (functionName: string) => void;
  readonly #connect: (options: ConnectOptions) => Promise<ServerConnection>;
  readonly #finishSignIn: NonNullable<ToolServersOptions['finishSignIn']>;
  readonly #storage: Storage | undefined;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- connections are not shown; #status is
  readonly #connections = new Map<string, ServerConnection>();
  /** The latest connect attempt per server: an older attempt that finishes late is ignored. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping no view reads
  readonly #pending = new Map<string, number>();
  #attempt = 0;
  #servers = $state.raw<ToolServerRecord[]>([]);
  #status = $state.raw<Record<string, ServerStatus>>({});
  #tools = $state.raw<Record<string, ServerConnection['tools']>>({});

  constructor(options: ToolServersOptions) {
    this.#takenNames = options.takenNames ?? (() => []);
    this.#revokeConsent = options.revokeConsent ?? (() => undefined);
    this.#connect = options.connect ?? defaultConnect;
    this.#finishSignIn = options.finishSignIn ?? defaultFinishSignIn;
    this.#storage = options.storage;
    this.#stored = new SharedLocalValue({
      storage: options.storage,
      key: TOOL_SERVERS_KEY,
      parse: parseServers,
      channel: options.channel,
      onChange: (servers) => this.#adopt(servers),
    });
    this.#servers = this.#stored.read();
  }

  /** Admission per server, in the order they were added: an earlier server's names are taken for later ones. */
  readonly #admissions = $derived.by((): Record<string, ToolAdmission> => {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local, rebuilt on each run
    const taken = new Set(this.#takenNames());
    const out: Record<string, ToolAdmission> = {};
    for (const server of this.#servers) {
      const admission = admitTools(server.name, this.#tools[server.id] ?? [], taken);
      for (const tool of admission.admitted) taken.add(tool.functionName);
      out[server.id] = admission;
    }
    return out;
  });

  readonly #functions = $derived.by((): RegisteredFunction[] =>
    this.#servers.flatMap((server) => {
      if (this.#status[server.id]?.kind !== 'connected') return [];
      return (this.#admissions[server.id]?.admitted ?? [])
        .filter((tool) => !server.disabled.includes(tool.tool))
        .map((tool) => ({ spec: tool.spec, handler: this.#handler(server.id, tool.tool) }));
    }),
  );

  get servers(): ToolServerView[] {
    return this.#servers.map((record) => ({
      record,
      status: this.#status[record.id] ?? { kind: 'connecting' },
      admission: this.#admissions[record.id] ?? { admitted: [], refused: [] },
    }));
  }

  /** The enabled tools of the connected servers, as functions for the registry. */
  get functions(): RegisteredFunction[] {
    return this.#functions;
  }

  /** The server whose tool the model calls by `functionName`, if any (the call card names it). */
  serverFor(functionName: string): ToolServerRecord | undefined {
    return this.#servers.find((server) =>
      this.#admissions[server.id]?.admitted.some((tool) => tool.functionName === functionName),
    );
  }

  /**
   * Connects every stored server (the app's start; nothing is loaded when there is none), after
   * finishing an OAuth sign-in the page has just come back from.
   */
  start(): void {
    if (this.#servers.length === 0) return;
    const storage = this.#storage;
    if (!storage || !returningFromSignIn()) {
      for (const server of this.#servers) void this.#open(server);
      return;
    }
    for (const server of this.#servers) this.#setStatus(server.id, { kind: 'connecting' });
    void this.#finishSignIn(this.#servers, storage)
      .catch((error: unknown) => {
        // The sign-in could not be finished: each server then says what it needs.
        console.warn('Callama: the OAuth sign-in could not be finished:', error);
      })
      .finally(() => {
        for (const server of this.#servers) void this.#open(server);
      });
  }

  /** Signs in to a server that asks for OAuth: the page goes to its authorization server and comes back. */
  signIn(id: string): void {
    const server = this.#servers.find((s) => s.id === id);
    if (server) void this.#open(server, true);
  }

  /** Forgets the server's OAuth tokens and registration, and connects again without them. */
  signOut(id: string): void {
    forgetOAuth(this.#storage, id);
    this.reconnect(id);
  }

  /** Checks the address, saves the server and connects it. A server that cannot be reached is kept, with why. */
  add(input: { url: string; name?: string; token?: string }): AddServerResult {
    const checked = checkServerUrl(input.url);
    if (!checked.ok) return { ok: false, error: checked.reason };
    if (this.#servers.some((s) => s.url === checked.url)) return { ok: false, error: 'This server is already added.' };
    const names = this.#servers.map((s) => s.name);
    const name = input.name?.trim() || suggestServerName(checked.url, names);
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,23}$/.test(name)) {
      return {
        ok: false,
        error: 'The name must start with a letter and hold only letters, digits and _ (24 at most).',
      };
    }
    if (names.includes(name)) return { ok: false, error: `Another server is already named ${name}.` };
    const record: ToolServerRecord = {
      id: crypto.randomUUID(),
      url: checked.url,
      name,
      ...(input.token?.trim() ? { token: input.token.trim() } : {}),
      disabled: [],
      timeoutSeconds: TIMEOUT_LIMITS.default,
    };
    this.#servers = this.#stored.update((current) => [...current, record]);
    void this.#open(record);
    return { ok: true, id: record.id };
  }

  remove(id: string): void {
    const server = this.#servers.find((s) => s.id === id);
    if (!server) return;
    for (const tool of this.#admissions[id]?.admitted ?? []) this.#revokeConsent(tool.functionName);
    this.#servers = this.#stored.update((current) => current.filter((s) => s.id !== id));
    forgetOAuth(this.#storage, id);
    this.#drop(id);
  }

  setToolEnabled(id: string, tool: string, enabled: boolean): void {
    this.#change(id, (s) => ({
      ...s,
      disabled: enabled ? s.disabled.filter((t) => t !== tool) : [...s.disabled.filter((t) => t !== tool), tool],
    }));
  }

  /** A new token (empty: none) and a fresh connection with it. */
  setToken(id: string, token: string): void {
    this.#change(id, ({ token: _old, ...rest }) => (token.trim() ? { ...rest, token: token.trim() } : rest));
    this.reconnect(id);
  }

  setTimeoutSeconds(id: string, seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    const clamped = Math.min(TIMEOUT_LIMITS.max, Math.max(TIMEOUT_LIMITS.min, Math.round(seconds)));
    this.#change(id, (s) => ({ ...s, timeoutSeconds: clamped }));
  }

  reconnect(id: string): void {
    const server = this.#servers.find((s) => s.id === id);
    if (server) void this.#open(server);
  }

  #change(id: string, edit: (server: ToolServerRecord) => ToolServerRecord): void {
    this.#servers = this.#stored.update((current) => current.map((s) => (s.id === id ? edit(s) : s)));
  }

  async #open(server: ToolServerRecord, interactive = false): Promise<void> {
    const attempt = ++this.#attempt;
    this.#pending.set(server.id, attempt);
    this.#setStatus(server.id, { kind: 'connecting' });
    const old = this.#connections.get(server.id);
    this.#connections.delete(server.id);
    void old?.close().catch(() => undefined);
    let connection: ServerConnection;
    try {
      connection = await this.#connect({
        url: server.url,
        token: server.token,
        timeoutMs: server.timeoutSeconds * 1000,
        ...(this.#storage ? { oauth: { serverId: server.id, interactive, storage: this.#storage } } : {}),
      });
    } catch (error) {
      if (this.#pending.get(server.id) === attempt) {
        this.#setStatus(server.id, {
          kind: 'error',
          message: errorMessage(error),
          needsSignIn: (error as { unauthorized?: unknown }).unauthorized === true,
          signedIn: signedIn(this.#storage, server.id),
        });
      }
      return;
    }
    // Removed, or connected again meanwhile: this connection is not wanted any more.
    if (this.#pending.get(server.id) !== attempt || !this.#servers.some((s) => s.id === server.id)) {
      void connection.close().catch(() => undefined);
      return;
    }
    this.#connections.set(server.id, connection);
    this.#tools = { ...this.#tools, [server.id]: connection.tools };
    this.#setStatus(server.id, {
      kind: 'connected',
      transport: connection.transport,
      serverInfo: connection.serverInfo,
      signedIn: signedIn(this.#storage, server.id),
    });
  }

  #handler(id: string, tool: string): RegisteredFunction['handler'] {
    return async (args, { signal }) => {
      const connection = this.#connections.get(id);
      const server = this.#servers.find((s) => s.id === id);
      if (!connection || !server) throw new Error('the tool server is not connected.');
      const outcome = mapToolResult(await connection.callTool(tool, args, signal, server.timeoutSeconds * 1000));
      if (!outcome.ok) throw new Error(`the server reported an error: ${outcome.message}`);
      return outcome.value;
    };
  }

  #setStatus(id: string, status: ServerStatus): void {
    this.#status = { ...this.#status, [id]: status };
  }

  #drop(id: string): void {
    this.#pending.delete(id);
    void this.#connections
      .get(id)
      ?.close()
      .catch(() => undefined);
    this.#connections.delete(id);
    const { [id]: _status, ...status } = this.#status;
    const { [id]: _tools, ...tools } = this.#tools;
    this.#status = status;
    this.#tools = tools;
  }

  /** Another tab changed the list: connect what is new or changed, drop what is gone. */
  #adopt(servers: ToolServerRecord[]): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup
    const before = new Map(this.#servers.map((s) => [s.id, s]));
    this.#servers = servers;
    for (const server of servers) {
      const old = before.get(server.id);
      if (!old || old.url !== server.url || old.token !== server.token) void this.#open(server);
    }
    for (const id of before.keys()) if (!servers.some((s) => s.id === id)) this.#drop(id);
  }
}
