import { describe, expect, it } from 'vitest';
import { hermesFormat } from '../../../../src/lib/formats/hermesFormat.ts';
import { add, messages, question, system, weather, withResult } from './conversation.fixture.ts';

const TOOL =
  '{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}}}';
const INSTRUCTIONS =
  "You are a function calling AI model. You are provided with function signatures within <tools></tools> XML tags. You may call one or more functions to assist with the user query. Don't make assumptions about what values to plug into functions. " +
  `Here are the available tools: <tools> ${TOOL} </tools> ` +
  'Use the following pydantic model json schema for each tool call you will make: {"properties": {"arguments": {"title": "Arguments", "type": "object"}, "name": {"title": "Name", "type": "string"}}, "required": ["arguments", "name"], "title": "FunctionCall", "type": "object"} ' +
  'For each function call return a json object with function name and arguments within <tool_call></tool_call> XML tags as follows:\n' +
  '<tool_call>\n{"name": <function-name>, "arguments": <args-dict>}\n</tool_call>';
const CALL = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>';

describe('hermes format', () => {
  it('keeps the system prompt before the Hermes tool instructions, in one system message', () => {
    const built = hermesFormat.build({ functions: [weather], system, turns: question });
    expect(messages(built)).toEqual([
      { role: 'system', content: `You are terse.\n\n${INSTRUCTIONS}` },
      { role: 'user', content: 'Weather in Paris?' },
    ]);
  });

  it('feeds a result back as a user message in <tool_response>', () => {
    const built = hermesFormat.build({ functions: [weather], turns: withResult(CALL) });
    expect(messages(built)).toEqual([
      { role: 'system', content: INSTRUCTIONS },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: CALL },
      { role: 'user', content: '<tool_response>\n{"name": "get_weather", "content": {"temp":21}}\n</tool_response>' },
    ]);
  });

  it('merges several results into one user message, and quotes an error text as a JSON string', () => {
    const built = hermesFormat.build({
      functions: [weather, add],
      turns: [
        ...question,
        {
          role: 'assistant',
          content: '',
          calls: [
            { name: 'get_weather', arguments: { city: 'Paris' } },
            { name: 'add', arguments: { a: 1, b: 2 } },
          ],
        },
        { role: 'tool', name: 'get_weather', content: '{"temp":21}' },
        { role: 'tool', name: 'add', content: 'Error: boom' },
      ],
    });
    expect(messages(built).slice(2)).toEqual([
      // An answer with no text is re-rendered from its calls.
      {
        role: 'assistant',
        content: `${CALL}\n<tool_call>\n{"name": "add", "arguments": {"a": 1, "b": 2}}\n</tool_call>`,
      },
      {
        role: 'user',
        content:
          '<tool_response>\n{"name": "get_weather", "content": {"temp":21}}\n</tool_response>\n' +
          '<tool_response>\n{"name": "add", "content": "Error: boom"}\n</tool_response>',
      },
    ]);
  });

  it('keeps the functions listed with tool_choice none (a grammar forbids calls), and offers only the named function when one is forced', () => {
    const none = hermesFormat.build({ functions: [weather], system, toolChoice: 'none', turns: question });
    const auto = hermesFormat.build({ functions: [weather], system, turns: question });
    expect(messages(none)).toEqual(messages(auto));
    expect(none.constrained).toBe(true);
    expect(none.constraintNote).toMatch(/tool_choice none.*no <tool_call> may be written/);
    const forced = hermesFormat.build({ functions: [weather, add], toolChoice: { function: 'add' }, turns: question });
    expect(messages(forced)[0]?.content).toContain('"name": "add"');
    expect(messages(forced)[0]?.content).not.toContain('get_weather');
    expect(forced.constrained).toBe(true);
  });

  it('constrains with a structural tag triggered on <tool_call>', () => {
    const built = hermesFormat.build({ functions: [weather], turns: question });
    expect(built.request.api === 'chat' && built.request.responseFormat?.type).toBe('structural_tag');
    expect(built.constraintNote).toMatch(/<tool_call> block must name get_weather/);
    const off = hermesFormat.build({ functions: [weather], turns: question, canConstrain: false });
    expect(off.request.api === 'chat' && off.request.responseFormat).toBeUndefined();
    expect(off.constrained).toBe(false);
  });
});
