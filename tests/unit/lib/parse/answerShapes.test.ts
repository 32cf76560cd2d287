import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { corpusFunctions as fns } from '../../../fixtures/corpus/functions.ts';
import {
  deleteFileAnswerMultiline,
  deleteFileAnswerOneLine,
  deleteFileArguments,
  saveChatAnswerOneLine,
  saveChatArguments,
} from '../../../fixtures/seeds/trelisExamples.ts';

const weather = { name: 'get_weather', arguments: { city: 'Paris' } };
const bing = { name: 'search_bing', arguments: { query: 'AI news' } };
const v2 = '{"function": "get_weather", "arguments": {"city": "Paris"}}';

describe('parseToolCalls — the seed cards’ example answers', () => {
  it.each([
    ['delete_file, multi-line', deleteFileAnswerMultiline, { name: 'delete_file', arguments: deleteFileArguments }],
    ['delete_file, one line', deleteFileAnswerOneLine, { name: 'delete_file', arguments: deleteFileArguments }],
    ['save_chat, three arguments', saveChatAnswerOneLine, { name: 'save_chat', arguments: saveChatArguments }],
  ])('%s', (_, answer, call) => {
    expect(parseToolCalls(answer, fns)).toEqual({ calls: [call], errors: [], text: '' });
  });
});

describe('parseToolCalls — answer shapes', () => {
  it.each([
    ['a bare v2 object', v2, ''],
    ['prose before and after', `Sure, checking.\n${v2}\nOne moment.`, 'Sure, checking.\n\nOne moment.'],
    ['prose in the same sentence', `I will call ${v2} now.`, 'I will call now.'],
    ['a ```json fence', `Here:\n\`\`\`json\n${v2}\n\`\`\``, 'Here:'],
    ['a fence without language, prose after', `\`\`\`\n${v2}\n\`\`\`\nThat should do it.`, 'That should do it.'],
    ['v3/OpenAI keys', '{"name": "get_weather", "arguments": {"city": "Paris"}}', ''],
    ['arguments as a JSON-encoded string', '{"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}', ''],
    ['Llama 3.1 name/parameters', '{"name": "get_weather", "parameters": {"city": "Paris"}}', ''],
    ['<|python_tag|> prefix', '<|python_tag|>{"name": "get_weather", "parameters": {"city": "Paris"}}<|eom_id|>', ''],
    ['<|python_tag|> without end tag', '<|python_tag|>{"name": "get_weather", "parameters": {"city": "Paris"}}', ''],
    ['Mistral [TOOL_CALLS]', '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}}]', ''],
    [
      'an OpenAI tool_calls envelope',
      '{"tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]}',
      '',
    ],
    [
      'Hermes <tool_call>',
      'Let me look.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>',
      'Let me look.',
    ],
    ['<function=name> tag', '<function=get_weather>{"city": "Paris"}</function>', ''],
    ['pythonic call', "get_weather(city='Paris')", ''],
    ['a JavaScript object literal', "{function: 'get_weather', arguments: {city: 'Paris'}}", ''],
    [
      'JSON with // comments',
      '{\n  "function": "get_weather", // the tool\n  "arguments": {"city": "Paris"} // done\n}',
      '',
    ],
  ])('reads %s', (_, answer, text) => {
    expect(parseToolCalls(answer, fns)).toEqual({ calls: [weather], errors: [], text });
  });

  it.each([
    ['one after another', `${v2}\n{"function": "search_bing", "arguments": {"query": "AI news"}}`],
    ['as a JSON array', `[${v2}, {"name": "search_bing", "arguments": {"query": "AI news"}}]`],
    ['in one fence', `\`\`\`json\n${v2}\n{"function": "search_bing", "arguments": {"query": "AI news"}}\n\`\`\``],
    ['pythonic list (Llama 3.2)', '[get_weather(city=\'Paris\'), search_bing(query="AI news")]'],
    [
      'Mistral list',
      '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "search_bing", "arguments": {"query": "AI news"}}]',
    ],
    [
      'two <tool_call> blocks',
      '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>\n<tool_call>{"name": "search_bing", "arguments": {"query": "AI news"}}</tool_call>',
    ],
  ])('reads several calls %s, in order', (_, answer) => {
    expect(parseToolCalls(answer, fns)).toEqual({ calls: [weather, bing], errors: [], text: '' });
  });

  it('reads pythonic positional arguments in declaration order and literal types', () => {
    expect(parseToolCalls('[add_numbers(2, b=3.5), set_alarm(time="07:00", repeat=True)]', fns).calls).toEqual([
      { name: 'add_numbers', arguments: { a: 2, b: 3.5 } },
      { name: 'set_alarm', arguments: { time: '07:00', repeat: true } },
    ]);
  });

  it('reads a call with no arguments', () => {
    expect(parseToolCalls('{"function": "list_files", "arguments": {}}', fns).calls).toEqual([
      { name: 'list_files', arguments: {} },
    ]);
    expect(parseToolCalls('{"function": "list_files"}', fns).calls).toEqual([{ name: 'list_files', arguments: {} }]);
    expect(parseToolCalls('list_files()', fns).calls).toEqual([{ name: 'list_files', arguments: {} }]);
  });
});

describe('parseToolCalls — what is not a call', () => {
  it('returns prose with no call as text, without errors', () => {
    expect(parseToolCalls('  Hello! How can I help you today?\n', fns)).toEqual({
      calls: [],
      errors: [],
      text: 'Hello! How can I help you today?',
    });
  });

  it.each([
    'It is {"temperature": 20} degrees in Paris.',
    'Here is the JSON you asked for:\n```json\n{"name": "Alice", "age": 30, "tags": ["a", "b"]}\n```',
    '[1, 2, 3] are the first numbers; see [the docs](https://example.com).',
    'Use a `{` to open a block.',
    'Call get_weather(x) with a city, or see calculate(expr).',
    'In Python, print(x) prints; unknown_function(a=1) is not ours.',
    '{"function": "sin", "value": 0.5}',
  ])('leaves data and prose alone: %s', (answer) => {
    expect(parseToolCalls(answer, fns)).toEqual({ calls: [], errors: [], text: answer.trim() });
  });
});
