import { describe, expect, it } from 'vitest';
import { llama3JsonFormat } from '../../../../src/lib/formats/llama3JsonFormat.ts';
import { messages, multiTurn, question, system, weather, withResult } from './conversation.fixture.ts';

const FUNCTIONS = `Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.

Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}. Do not use variables.

{
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
}`;
const CALL = '{"name": "get_weather", "parameters": {"city": "Paris"}}';

describe('llama3-json format', () => {
  it('opens the system message with Environment: ipython, then the system prompt, then the functions', () => {
    expect(messages(llama3JsonFormat.build({ functions: [weather], system, turns: question }))).toEqual([
      { role: 'system', content: `Environment: ipython\n\nYou are terse.\n\n${FUNCTIONS}` },
      { role: 'user', content: 'Weather in Paris?' },
    ]);
  });

  it('feeds results back as a labelled user message and keeps alternating turns', () => {
    expect(messages(llama3JsonFormat.build({ functions: [weather], turns: multiTurn(CALL) }))).toEqual([
      { role: 'system', content: `Environment: ipython\n\n${FUNCTIONS}` },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: CALL },
      { role: 'user', content: 'Result of get_weather:\n{"temp":21}' },
      { role: 'assistant', content: 'It is 21 °C.' },
      { role: 'user', content: 'And 2+3?' },
    ]);
  });

  it('uses only the system prompt, with no ipython line, when no function is offered', () => {
    expect(messages(llama3JsonFormat.build({ functions: [], system, turns: question }))[0]).toEqual({
      role: 'system',
      content: system,
    });
    expect(messages(llama3JsonFormat.build({ functions: [], turns: question }))[0]).toEqual({
      role: 'user',
      content: 'Weather in Paris?',
    });
  });

  it('constrains a required call with a JSON schema', () => {
    const built = llama3JsonFormat.build({ functions: [weather], toolChoice: 'required', turns: withResult(CALL) });
    expect(built.constrained).toBe(true);
    const format = built.request.api === 'chat' ? built.request.responseFormat : undefined;
    expect(format?.type).toBe('json_object');
  });
});
