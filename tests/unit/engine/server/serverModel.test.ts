import { describe, expect, it } from 'vitest';
import {
  isServerModelRecord,
  normalizeBaseUrl,
  validateServerModel,
  type ServerModelInput,
} from '../../../../src/engine/server/serverModel.ts';
import { connectAllowed } from '../../../../src/security/connectPolicy.ts';
import { resolveModel } from '../../../../src/engine/resolveModel.ts';

const input = (over: Partial<ServerModelInput> = {}): ServerModelInput => ({
  displayName: 'Trelis 7B on llama-server',
  kind: 'llamacpp',
  baseUrl: 'http://localhost:8080/',
  apiKey: '',
  model: '',
  formatId: 'trelis-v2',
  ...over,
});
const allowed = (url: string) => connectAllowed(url, 'http://localhost:4173');

describe('validateServerModel', () => {
  it('saves a localhost llama.cpp server with a Trelis v2 prompt', () => {
    expect(validateServerModel(input(), allowed)).toEqual({
      ok: true,
      record: {
        id: 'server:trelis-7b-on-llama-server',
        displayName: 'Trelis 7B on llama-server',
        kind: 'llamacpp',
        baseUrl: 'http://localhost:8080',
        formatId: 'trelis-v2',
      },
    });
  });

  it('refuses a host this build does not allow, saying why and what to do', () => {
    const result = validateServerModel(input({ baseUrl: 'https://gpu.example.org' }), allowed);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.baseUrl).toContain('does not allow connections to https://gpu.example.org');
    expect(result.errors.baseUrl).toContain('CALLAMA_MODEL_HOSTS');
  });

  it('refuses a chat-template format, a missing name, a non-http address and credentials in the URL', () => {
    const result = validateServerModel(
      input({ formatId: 'hermes', displayName: ' ', baseUrl: 'ftp://localhost:21' }),
      allowed,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['baseUrl', 'displayName', 'formatId']);
    const creds = validateServerModel(input({ baseUrl: 'http://me:pw@localhost:8080' }), allowed);
    expect(creds.ok ? '' : creds.errors.baseUrl).toContain('API key field');
  });

  it('keeps the API key and the OpenAI model name, and numbers a taken id', () => {
    const result = validateServerModel(
      input({ kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', apiKey: ' k ', model: 'qwen' }),
      allowed,
      ['server:trelis-7b-on-llama-server'],
    );
    expect(result).toMatchObject({
      ok: true,
      record: {
        id: 'server:trelis-7b-on-llama-server-2',
        baseUrl: 'http://127.0.0.1:8000',
        apiKey: 'k',
        model: 'qwen',
      },
    });
  });

  it('normalizes the address and shape-checks stored records', () => {
    expect(normalizeBaseUrl(' http://localhost:8000/v1/ ', 'openai')).toBe('http://localhost:8000');
    expect(normalizeBaseUrl('http://localhost:8080/v1', 'llamacpp')).toBe('http://localhost:8080/v1');
    const ok = validateServerModel(input(), allowed);
    expect(ok.ok && isServerModelRecord(ok.record)).toBe(true);
    expect(
      isServerModelRecord({ id: 'x', displayName: 'x', kind: 'llamacpp', baseUrl: 'u', formatId: 'trelis-v2' }),
    ).toBe(false);
    expect(
      isServerModelRecord({ id: 'server:x', displayName: 'x', kind: 'ollama', baseUrl: 'u', formatId: 'trelis-v2' }),
    ).toBe(false);
  });

  it('resolves to a server source that renders raw prompts', () => {
    const saved = validateServerModel(input(), allowed);
    if (!saved.ok) throw new Error('not saved');
    const resolved = resolveModel(saved.record.id, {
      customModel: () => undefined,
      formatOverride: () => undefined,
      serverModel: (id) => (id === saved.record.id ? saved.record : undefined),
    });
    expect(resolved?.source).toEqual({ kind: 'server', record: saved.record, promptRendering: 'raw' });
    expect(resolved?.info).toEqual({ id: saved.record.id, name: 'Trelis 7B on llama-server', formatId: 'trelis-v2' });
  });
});
