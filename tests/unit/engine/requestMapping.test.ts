import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, Completion, CompletionUsage } from '@mlc-ai/web-llm';
import {
  readChunk,
  toChatParams,
  toCompletionParams,
  toFinishReason,
  usageToStats,
} from '../../../src/engine/requestMapping.ts';

describe('request → web-llm params', () => {
  it('sends a raw prompt through the completion API with usage and our options in snake_case', () => {
    expect(
      toCompletionParams({
        api: 'completion',
        prompt: '<s>[INST] hi [/INST]',
        stop: ['</s>'],
        maxTokens: 64,
        temperature: 0,
      }),
    ).toEqual({
      prompt: '<s>[INST] hi [/INST]',
      stream: true,
      stream_options: { include_usage: true },
      stop: ['</s>'],
      max_tokens: 64,
      temperature: 0,
    });
  });

  it('leaves unset options out so the model defaults apply', () => {
    const p = toCompletionParams({ api: 'completion', prompt: 'x' });
    expect(Object.keys(p).sort()).toEqual(['prompt', 'stream', 'stream_options']);
  });

  it("maps each response format to web-llm's shape", () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    expect(
      toChatParams({ api: 'chat', messages, responseFormat: { type: 'json_object', schema: '{"type":"object"}' } })
        .response_format,
    ).toEqual({ type: 'json_object', schema: '{"type":"object"}' });
    expect(
      toChatParams({ api: 'chat', messages, responseFormat: { type: 'grammar', grammar: 'root ::= "a"' } })
        .response_format,
    ).toEqual({ type: 'grammar', grammar: 'root ::= "a"' });
    const tag = { type: 'structural_tag', format: { type: 'triggered_tags', triggers: ['<tool_call>'], tags: [] } };
    expect(
      toChatParams({ api: 'chat', messages, responseFormat: { type: 'structural_tag', structuralTag: tag } })
        .response_format,
    ).toEqual({ type: 'structural_tag', structural_tag: tag });
    expect(toChatParams({ api: 'chat', messages }).response_format).toBeUndefined();
  });
});

describe('web-llm stream → our result', () => {
  it('maps usage.extra to GenerationStats and drops NaN', () => {
    const usage: CompletionUsage = {
      prompt_tokens: 120,
      completion_tokens: 30,
      total_tokens: 150,
      extra: {
        e2e_latency_s: 3,
        prefill_tokens_per_s: 400,
        decode_tokens_per_s: 12,
        time_to_first_token_s: 0.3,
        time_per_output_token_s: 0.08,
        grammar_init_s: 0.05,
        grammar_per_token_s: Number.NaN,
      },
    };
    expect(usageToStats(usage)).toEqual({
      promptTokens: 120,
      completionTokens: 30,
      timeToFirstTokenS: 0.3,
      prefillTokensPerS: 400,
      decodeTokensPerS: 12,
      e2eLatencyS: 3,
      grammarInitS: 0.05,
    });
    expect(usageToStats(undefined)).toBeUndefined();
  });

  it('reads deltas and finish reasons from both chunk kinds', () => {
    const completion = {
      id: 'a',
      object: 'text_completion',
      created: 0,
      model: 'm',
      choices: [{ text: 'He', index: 0, finish_reason: null, logprobs: null }],
    } as unknown as Completion;
    expect(readChunk(completion)).toEqual({ delta: 'He' });
    const chatEnd = {
      id: 'b',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ delta: {}, index: 0, finish_reason: 'length' }],
    } as unknown as ChatCompletionChunk;
    expect(readChunk(chatEnd)).toEqual({ delta: '', finishReason: 'length' });
    expect(toFinishReason('tool_calls')).toBe('stop');
    expect(toFinishReason('abort')).toBe('abort');
    expect(toFinishReason(null)).toBeUndefined();
  });
});
