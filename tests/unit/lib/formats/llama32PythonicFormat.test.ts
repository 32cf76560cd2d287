import { describe, expect, it } from 'vitest';
import { llama32PythonicFormat } from '../../../../src/lib/formats/llama32PythonicFormat.ts';
import { messages, question, system, weather, withResult } from './conversation.fixture.ts';

const INSTRUCTIONS = `You are an expert in composing functions. You are given a question and a set of possible functions.
Based on the question, you will need to make one or more function/tool calls to achieve the purpose.
If none of the function can be used, point it out. If the given question lacks the parameters required by the function,
also point it out. You should only return the function call in tools call sections.

If you decide to invoke any of the function(s), you MUST put it in the format of [func_name1(params_name1=params_value1, params_name2=params_value2...), func_name2(params)]
You SHOULD NOT include any other text in the response.

Here is a list of functions in JSON format that you can invoke.

[
    {
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
]`;

describe('llama3.2-pythonic format', () => {
  it("puts the system prompt and Meta's function-calling prompt in the system message", () => {
    expect(messages(llama32PythonicFormat.build({ functions: [weather], system, turns: question }))).toEqual([
      { role: 'system', content: `You are terse.\n\n${INSTRUCTIONS}` },
      { role: 'user', content: 'Weather in Paris?' },
    ]);
  });

  it('feeds a result back as a labelled user message', () => {
    const built = llama32PythonicFormat.build({
      functions: [weather],
      turns: withResult('[get_weather(city="Paris")]'),
    });
    expect(messages(built).slice(1)).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '[get_weather(city="Paris")]' },
      { role: 'user', content: 'Result of get_weather:\n{"temp":21}' },
    ]);
  });

  it('writes calls as a Python list of calls with Python literals', () => {
    expect(
      llama32PythonicFormat.renderCalls([
        { name: 'f', arguments: { s: 'a "q"', n: 2.5, b: false, x: null, l: [1, 'two'], o: { k: true } } },
        { name: 'g', arguments: {} },
      ]),
    ).toBe('[f(s="a \\"q\\"", n=2.5, b=False, x=None, l=[1, "two"], o={"k": True}), g()]');
  });

  it('constrains with an EBNF grammar', () => {
    const built = llama32PythonicFormat.build({ functions: [weather], turns: question });
    expect(built.request.api === 'chat' && built.request.responseFormat?.type).toBe('grammar');
    expect(built.constrained).toBe(true);
  });
});
