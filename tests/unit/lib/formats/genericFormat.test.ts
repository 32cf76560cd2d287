import { describe, expect, it } from 'vitest';
import { genericFormat } from '../../../../src/lib/formats/genericFormat.ts';
import { messages, multiTurn, question, system, weather } from './conversation.fixture.ts';

const INSTRUCTIONS = `You can call the following functions. Their arguments are described with JSON Schema.

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
]

To call a function, reply with a JSON object in a json code block, exactly like this:
\`\`\`json
{"name": "<function name>", "arguments": {"<argument name>": <value>}}
\`\`\`
Use one code block per call and only the functions listed above. If a required argument is missing, ask the user for it instead of guessing. If no function is needed, answer in plain text. Function results come back in a message that starts with "Result of <function name>:".`;

const CALL = '```json\n{"name": "get_weather", "arguments": {"city":"Paris"}}\n```';

describe('generic format', () => {
  it('explains the functions and the answer shape after the system prompt', () => {
    expect(messages(genericFormat.build({ functions: [weather], system, turns: question }))).toEqual([
      { role: 'system', content: `You are terse.\n\n${INSTRUCTIONS}` },
      { role: 'user', content: 'Weather in Paris?' },
    ]);
  });

  it('renders a multi-turn conversation with the result as a labelled user message', () => {
    expect(messages(genericFormat.build({ functions: [weather], turns: multiTurn(CALL) })).slice(1)).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: CALL },
      { role: 'user', content: 'Result of get_weather:\n{"temp":21}' },
      { role: 'assistant', content: 'It is 21 °C.' },
      { role: 'user', content: 'And 2+3?' },
    ]);
  });

  it('constrains with a structural tag on the json fence', () => {
    const built = genericFormat.build({ functions: [weather], turns: question });
    expect(built.request.api === 'chat' && built.request.responseFormat?.type).toBe('structural_tag');
    expect(built.constraintNote).toMatch(/```json block/);
  });
});
