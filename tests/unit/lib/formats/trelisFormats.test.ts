import { describe, expect, it } from 'vitest';
import { trelisV2Format } from '../../../../src/lib/formats/trelisV2Format.ts';
import { trelisV3Format } from '../../../../src/lib/formats/trelisV3Format.ts';
import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import { add, question, system, weather, withResult } from './conversation.fixture.ts';

function prompt(built: BuiltPrompt): string {
  if (built.request.api !== 'completion') throw new Error('expected a completion request');
  return built.request.prompt;
}

const V2_BLOCK = `<FUNCTIONS>{
    "function": "get_weather",
    "description": "Current weather for a city.",
    "arguments": [
        {
            "name": "city",
            "type": "string",
            "description": "City name"
        }
    ]
}</FUNCTIONS>

`;

const V3_BLOCK = `<FUNCTIONS>{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {
                    "type": "string",
                    "description": "City name"
                }
            },
            "required": [
                "city"
            ]
        }
    }
}</FUNCTIONS>

`;

describe('trelis-v2 format', () => {
  it("is the card's prompt after the BOS: function block, then [INST] with the system block", () => {
    const built = trelisV2Format.build({ functions: [weather], system, turns: question });
    expect(prompt(built)).toBe(
      `<s>${V2_BLOCK}[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nWeather in Paris? [/INST]\n\n`,
    );
    expect(built.request.stop).toContain('</s>');
    expect(built.constrained).toBe(false);
    expect(built.constraintNote).toMatch(/raw completion API.*no response_format.*repaired and validated/);
  });

  it('feeds a result back as the next Llama-2 instruction', () => {
    const call = '{"function": "get_weather", "arguments": {"city": "Paris"}}';
    expect(prompt(trelisV2Format.build({ functions: [weather], turns: withResult(call) }))).toBe(
      `<s>${V2_BLOCK}[INST] Weather in Paris? [/INST]\n\n${call} </s><s>[INST] Result of get_weather:\n{"temp":21} [/INST]\n\n`,
    );
  });

  it('lists only the forced function and says tool_choice cannot be enforced', () => {
    const built = trelisV2Format.build({
      functions: [add, weather],
      toolChoice: { function: 'get_weather' },
      turns: question,
    });
    expect(prompt(built).startsWith(`<s>${V2_BLOCK}`)).toBe(true);
    expect(built.constraintNote).toMatch(/function get_weather cannot be enforced/);
  });
});

describe('trelis-v3 format', () => {
  it('uses OpenAI-shaped definitions in the function block', () => {
    expect(prompt(trelisV3Format.build({ functions: [weather], system, turns: question }))).toBe(
      `<s>${V3_BLOCK}[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nWeather in Paris? [/INST]\n\n`,
    );
  });

  it('keeps the block with tool_choice none (the prompt stays the same), and leaves it out with no functions', () => {
    expect(prompt(trelisV3Format.build({ functions: [weather], toolChoice: 'none', turns: question }))).toBe(
      prompt(trelisV3Format.build({ functions: [weather], turns: question })),
    );
    expect(prompt(trelisV3Format.build({ functions: [], turns: question }))).toBe(
      '<s>[INST] Weather in Paris? [/INST]\n\n',
    );
  });
});
