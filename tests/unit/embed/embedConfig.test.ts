import { describe, expect, it } from 'vitest';
import { DEFAULT_WELCOME, MAX_WELCOME_LENGTH, parseEmbedConfig } from '../../../src/embed/embedConfig.ts';
import { DEFAULT_HOST_CALL_TIMEOUT_MS } from '../../../src/embed/hostBridge.ts';

const known = { formats: ['hermes', 'trelis-v2'], functions: ['calculator', 'get_current_time'] };

describe('parseEmbedConfig', () => {
  it('has safe defaults: no host origins, no functions, a load button, 10 s call timeout', () => {
    expect(parseEmbedConfig('', known)).toEqual({
      model: null,
      format: null,
      functions: [],
      theme: 'auto',
      welcome: DEFAULT_WELCOME,
      allowedOrigins: [],
      autoload: false,
      callTimeoutMs: DEFAULT_HOST_CALL_TIMEOUT_MS,
      problems: [],
    });
  });

  it('reads every parameter', () => {
    const search = new URLSearchParams({
      model: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
      format: 'trelis-v2',
      functions: 'calculator, get_current_time',
      theme: 'dark',
      welcome: 'Ask about stocks',
      allowedOrigins: 'https://shop.example,http://localhost:5000',
      autoload: 'true',
      callTimeoutMs: '2500',
    });
    expect(parseEmbedConfig(search, known)).toEqual({
      model: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
      format: 'trelis-v2',
      functions: ['calculator', 'get_current_time'],
      theme: 'dark',
      welcome: 'Ask about stocks',
      allowedOrigins: ['https://shop.example', 'http://localhost:5000'],
      autoload: true,
      callTimeoutMs: 2500,
      problems: [],
    });
  });

  it('reports and drops what it cannot use', () => {
    const config = parseEmbedConfig(
      '?format=chatml&functions=calculator,rm_rf&theme=pink&allowedOrigins=*&autoload=maybe&callTimeoutMs=5',
      known,
    );
    expect(config.format).toBeNull();
    expect(config.functions).toEqual(['calculator']);
    expect(config.theme).toBe('auto');
    expect(config.allowedOrigins).toEqual([]);
    expect(config.autoload).toBe(false);
    expect(config.callTimeoutMs).toBe(DEFAULT_HOST_CALL_TIMEOUT_MS);
    expect(config.problems).toHaveLength(6);
    expect(config.problems.join('\n')).toMatch(
      /chatml[\s\S]*rm_rf[\s\S]*pink[\s\S]*\*[\s\S]*autoload[\s\S]*callTimeoutMs/,
    );
  });

  it('limits the welcome text length', () => {
    expect(parseEmbedConfig(`?welcome=${'a'.repeat(2000)}`, known).welcome).toHaveLength(MAX_WELCOME_LENGTH);
  });
});
