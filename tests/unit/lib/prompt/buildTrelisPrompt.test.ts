import { describe, expect, it } from 'vitest';
import { buildTrelisConversation, buildTrelisPrompt } from '../../../../src/lib/prompt/buildTrelisPrompt.ts';
import { fromTrelisV2 } from '../../../../src/lib/prompt/trelisV2.ts';
import { pythonJsonDumps } from '../../../../src/lib/prompt/pythonJsonDumps.ts';
import { PromptBuildError } from '../../../../src/lib/errors.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import { goldenMetas, goldenPrompts } from '../../../fixtures/seeds/golden.ts';

function spec(key: string): FunctionSpec {
  const meta = goldenMetas[key];
  if (!meta) throw new Error(`no golden metadata ${key}`);
  return fromTrelisV2(meta);
}
const searchBing = spec('search_bing');

describe('buildTrelisPrompt — the model cards, byte for byte', () => {
  it('builds the card example (search_bing, Llama style) exactly', () => {
    expect(
      buildTrelisPrompt({ style: 'llama', functions: [searchBing], user: 'Search for the latest news on AI.' }),
    ).toBe(
      '<FUNCTIONS>{\n    "function": "search_bing",\n    "description": "Search the web for content on Bing. This allows users to search online/the internet/the web for content.",\n    "arguments": [\n        {\n            "name": "query",\n            "type": "string",\n            "description": "The search query string"\n        }\n    ]\n}</FUNCTIONS>\n\n[INST] Search for the latest news on AI. [/INST]\n\n',
    );
  });

  it.each(goldenPrompts)('matches the Python-built prompt: $name', (golden) => {
    const prompt = buildTrelisPrompt({
      style: golden.style,
      functions: golden.functions.map(spec),
      user: golden.user,
      ...(golden.system !== undefined && { system: golden.system }),
    });
    expect(prompt).toBe(golden.prompt);
  });

  it('starts with the function block, never with a BOS token', () => {
    const prompt = buildTrelisPrompt({ style: 'llama', functions: [searchBing], user: 'hi', system: 'sys' });
    expect(prompt.startsWith('<FUNCTIONS>{')).toBe(true);
    expect(prompt).not.toContain('<s>');
  });

  it('leaves the function block out when there are no functions', () => {
    expect(buildTrelisPrompt({ style: 'llama', functions: [], user: 'hi' })).toBe('[INST] hi [/INST]\n\n');
  });

  it('escapes non-ASCII as Python json.dumps does (ensure_ascii)', () => {
    expect(pythonJsonDumps({ a: 'café ☕ 😀\u007f' })).toBe(
      '{\n    "a": "caf\\u00e9 \\u2615 \\ud83d\\ude00\\u007f"\n}',
    );
  });
});

describe('buildTrelisPrompt — multi-turn', () => {
  const call = '{"function": "search_bing", "arguments": {"query": "AI"}}';
  const block = buildTrelisPrompt({ style: 'llama', functions: [searchBing], user: 'x' }).split('[INST]')[0] ?? '';

  it('renders Llama 2 history with </s><s> between turns and the system message once', () => {
    const prompt = buildTrelisPrompt({
      style: 'llama',
      functions: [searchBing],
      system: 'Be brief.',
      history: [
        { role: 'user', content: 'Hello ' },
        { role: 'assistant', content: ' Hi! ' },
      ],
      user: 'News on AI?',
    });
    expect(prompt).toBe(
      `${block}[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHello [/INST]\n\nHi! </s><s>[INST] News on AI? [/INST]\n\n`,
    );
  });

  it('feeds a function result back as the next instruction, ready for the final answer', () => {
    const prompt = buildTrelisConversation({
      style: 'llama',
      functions: [searchBing],
      turns: [
        { role: 'user', content: 'News on AI?' },
        { role: 'assistant', content: call, calls: [{ name: 'search_bing', arguments: { query: 'AI' } }] },
        { role: 'tool', name: 'search_bing', content: '{"results": ["a"]}' },
      ],
    });
    expect(prompt).toBe(
      `${block}[INST] News on AI? [/INST]\n\n${call} </s><s>[INST] Result of search_bing:\n{"results": ["a"]} [/INST]\n\n`,
    );
  });

  it('puts several results in a row into one instruction', () => {
    const prompt = buildTrelisConversation({
      style: 'yi',
      functions: [],
      turns: [
        { role: 'user', content: 'u' },
        { role: 'assistant', content: 'calls' },
        { role: 'tool', name: 'a', content: '1' },
        { role: 'tool', name: 'b', content: '2' },
      ],
    });
    expect(prompt).toBe('Human: u Assistant: \n\ncalls\n\nHuman: Result of a:\n1\n\nResult of b:\n2 Assistant: \n\n');
  });

  it('ends DeepSeek answers with <|EOT|> as its chat template does', () => {
    const prompt = buildTrelisConversation({
      style: 'deepseek',
      functions: [],
      turns: [
        { role: 'user', content: 'u1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'u2' },
      ],
    });
    expect(prompt).toBe(
      '\n### Instruction:\nu1\n### Response:\n\n\na1\n<|EOT|>\n### Instruction:\nu2\n### Response:\n\n\n',
    );
  });

  it('refuses an empty conversation with a typed error', () => {
    expect(() => buildTrelisConversation({ style: 'llama', functions: [], turns: [] })).toThrow(PromptBuildError);
  });
});
