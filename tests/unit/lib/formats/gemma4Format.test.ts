/**
 * Gemma 4 prompts, byte for byte against the E2B chat template (shared/TOOL-FORMATS.md §3): the
 * reference example, thinking, no system, calls with results inside the model turn, the history rule
 * for thoughts, and declarations of nested schemas.
 */
import { describe, expect, it } from 'vitest';
import { gemma4Format } from '../../../../src/lib/formats/gemma4Format.ts';
import { gemmaDeclaration } from '../../../../src/lib/formats/gemma4Declaration.ts';
import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';
import { PromptBuildError } from '../../../../src/lib/errors.ts';

const Q = '<|"|>';
const getWeather: FunctionSpec = {
  name: 'get_weather',
  description: 'Get weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
  },
};
const DECLARATION = `<|tool>declaration:get_weather{description:${Q}Get weather for a city${Q},parameters:{properties:{city:{description:${Q}City name${Q},type:${Q}STRING${Q}}},required:[${Q}city${Q}],type:${Q}OBJECT${Q}}}<tool|>`;
const question: Turn[] = [{ role: 'user', content: 'Weather in Paris?' }];
const CALL = `<|tool_call>call:get_weather{city:${Q}Paris${Q}}<tool_call|>`;
const called: Turn = {
  role: 'assistant',
  content: CALL,
  calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
};

function prompt(built: BuiltPrompt): string {
  if (built.request.api !== 'completion') throw new Error('expected a raw completion request');
  return built.request.prompt;
}

describe('gemma4 prompt', () => {
  it('matches the reference example of TOOL-FORMATS §3(a) exactly', () => {
    const built = gemma4Format.build({
      functions: [getWeather],
      system: 'You are a helpful assistant.',
      turns: question,
    });
    expect(prompt(built)).toBe(
      `<bos><|turn>system\nYou are a helpful assistant.${DECLARATION}<turn|>\n<|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n`,
    );
    expect(built.answerPrefix).toBeUndefined();
    expect(built.request.stop).toEqual(['<|tool_response>', '<turn|>', '<eos>']);
  });

  it('writes <|think|> first in the system turn when thinking is on (off by default)', () => {
    const built = gemma4Format.build({
      functions: [getWeather],
      system: '  Be brief.\n',
      turns: question,
      thinking: true,
    });
    expect(prompt(built)).toBe(
      `<bos><|turn>system\n<|think|>\nBe brief.${DECLARATION}<turn|>\n<|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n`,
    );
    // Thinking alone still opens a system turn.
    expect(prompt(gemma4Format.build({ functions: [], turns: question, thinking: true }))).toBe(
      '<bos><|turn>system\n<|think|>\n<turn|>\n<|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n',
    );
  });

  it('has no system turn without system text, functions or thinking; tools alone open one', () => {
    expect(prompt(gemma4Format.build({ functions: [], turns: question }))).toBe(
      '<bos><|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n',
    );
    expect(prompt(gemma4Format.build({ functions: [getWeather], turns: question }))).toBe(
      `<bos><|turn>system\n${DECLARATION}<turn|>\n<|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n`,
    );
  });

  it('puts results inside the model turn and continues generation right after them', () => {
    const turns: Turn[] = [
      ...question,
      called,
      { role: 'tool', name: 'get_weather', content: '{"temp": 18, "sky": "clear"}' },
    ];
    const built = gemma4Format.build({ functions: [getWeather], turns });
    expect(prompt(built)).toBe(
      `<bos><|turn>system\n${DECLARATION}<turn|>\n<|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n${CALL}` +
        `<|tool_response>response:get_weather{sky:${Q}clear${Q},temp:18}<tool_response|>`,
    );
    expect(built.answerPrefix).toBeUndefined();
  });

  it('renders a multi-turn conversation: calls, results and the final answer in one model turn', () => {
    const turns: Turn[] = [
      ...question,
      called,
      { role: 'tool', name: 'get_weather', content: 'Error: the service is down' },
      { role: 'assistant', content: 'I could not get it.' },
      { role: 'user', content: 'And 2+3?' },
    ];
    expect(prompt(gemma4Format.build({ functions: [], system: 'S', turns }))).toBe(
      '<bos><|turn>system\nS<turn|>\n<|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n' +
        `${CALL}<|tool_response>response:get_weather{value:${Q}Error: the service is down${Q}}<tool_response|>` +
        'I could not get it.<turn|>\n<|turn>user\nAnd 2+3?<turn|>\n<|turn>model\n',
    );
  });

  it('renders parallel calls concatenated, each result in order, arguments in dictsort order', () => {
    const turns: Turn[] = [
      ...question,
      {
        role: 'assistant',
        content: 'raw text is not reused',
        calls: [
          {
            name: 'get_weather',
            arguments: { city: 'Paris', Unit: 'c', days: 2, opts: { z: true, a: null }, tags: ['x', 1] },
          },
          { name: 'get_weather', arguments: { city: 'Rome' } },
        ],
      },
      { role: 'tool', name: 'get_weather', content: '{"temp": 18}' },
      { role: 'tool', name: 'get_weather', content: '[1, 2]' },
    ];
    const text = prompt(gemma4Format.build({ functions: [], turns }));
    expect(text).toBe(
      '<bos><|turn>user\nWeather in Paris?<turn|>\n<|turn>model\nraw text is not reused' +
        `<|tool_call>call:get_weather{city:${Q}Paris${Q},days:2,opts:{a:null,z:true},tags:[${Q}x${Q},1],Unit:${Q}c${Q}}<tool_call|>` +
        `<|tool_call>call:get_weather{city:${Q}Rome${Q}}<tool_call|>` +
        '<|tool_response>response:get_weather{temp:18}<tool_response|>' +
        `<|tool_response>response:get_weather{value:${Q}[1, 2]${Q}}<tool_response|>`,
    );
  });

  it('keeps thoughts only after the last user message, and opens a thought after results when thinking', () => {
    const thoughtful = (content: string): Turn => ({
      role: 'assistant',
      content,
      calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
    });
    const turns: Turn[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '<|channel>thought\nGreet back.<channel|>Hello!' },
      ...question,
      thoughtful(`<|channel>thought\nNeed the weather.<channel|>${CALL}`),
      { role: 'tool', name: 'get_weather', content: 'sunny' },
    ];
    const built = gemma4Format.build({ functions: [], turns, thinking: true });
    expect(prompt(built)).toBe(
      '<bos><|turn>system\n<|think|>\n<turn|>\n<|turn>user\nHi<turn|>\n<|turn>model\nHello!<turn|>\n' +
        '<|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n<|channel>thought\nNeed the weather.\n<channel|>' +
        `${CALL}<|tool_response>response:get_weather{value:${Q}sunny${Q}}<tool_response|><|channel>thought\n`,
    );
    expect(built.answerPrefix).toBe('<|channel>thought\n');
    // The answer that continued from that prefix, with its own thought, is history after the last user message.
    const next: Turn[] = [
      ...turns,
      { role: 'assistant', content: '<|channel>thought\nIt is sunny.<channel|>Sunny!' },
      { role: 'user', content: 'Thanks' },
    ];
    expect(prompt(gemma4Format.build({ functions: [], turns: next, thinking: true }))).toContain(
      `<tool_response|>Sunny!<turn|>\n<|turn>user\nThanks<turn|>\n<|turn>model\n`,
    );
  });

  it('writes calls that got no result followed by <|tool_response>, as the template does', () => {
    const turns: Turn[] = [...question, called, { role: 'user', content: 'Never mind.' }];
    expect(prompt(gemma4Format.build({ functions: [], turns }))).toBe(
      `<bos><|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n${CALL}<|tool_response><|turn>user\nNever mind.<turn|>\n<|turn>model\n`,
    );
  });

  it('rejects a conversation that ends with an answer', () => {
    expect(() =>
      gemma4Format.build({ functions: [], turns: [...question, { role: 'assistant', content: 'x' }] }),
    ).toThrow(PromptBuildError);
  });

  it('is grammar-constrained, and says so', () => {
    const built = gemma4Format.build({
      functions: [getWeather],
      turns: question,
      toolChoice: 'required',
      canConstrainRaw: true,
    });
    expect(built.constrained).toBe(true);
    expect(built.request.responseFormat?.type).toBe('grammar');
  });
});

describe('gemma4 declarations', () => {
  it('writes nested objects, arrays, enums and nullable the way the template does', () => {
    const fn: FunctionSpec = {
      name: 'plan',
      parameters: {
        type: 'object',
        properties: {
          when: { type: 'string', enum: ['now', 'later'], description: 'When' },
          Budget: { type: 'number', nullable: true },
          stops: {
            type: 'array',
            items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          },
          tags: { type: 'array', items: { type: 'string' } },
          place: {
            type: 'object',
            properties: { lat: { type: 'number' }, lng: { type: 'number' } },
            required: ['lat'],
          },
          extra: { type: ['string', 'null'] },
        },
        required: ['when'],
      },
    };
    expect(gemmaDeclaration(fn)).toBe(
      `declaration:plan{description:${Q}${Q},parameters:{properties:{` +
        `Budget:{nullable:true,type:${Q}NUMBER${Q}},` +
        `extra:{type:${Q}['STRING', 'NULL']${Q}},` +
        `place:{properties:{lat:{type:${Q}NUMBER${Q}},lng:{type:${Q}NUMBER${Q}}},required:[${Q}lat${Q}],type:${Q}OBJECT${Q}},` +
        `stops:{items:{properties:{name:{type:${Q}STRING${Q}}},required:[${Q}name${Q}],type:${Q}OBJECT${Q}},type:${Q}ARRAY${Q}},` +
        `tags:{items:{type:${Q}STRING${Q}},type:${Q}ARRAY${Q}},` +
        `when:{description:${Q}When${Q},enum:[${Q}now${Q},${Q}later${Q}],type:${Q}STRING${Q}}` +
        `},required:[${Q}when${Q}],type:${Q}OBJECT${Q}}}`,
    );
  });

  it('writes a function without parameters as an empty OBJECT', () => {
    expect(gemmaDeclaration({ name: 'now', description: 'Time', parameters: { type: 'object', properties: {} } })).toBe(
      `declaration:now{description:${Q}Time${Q},parameters:{type:${Q}OBJECT${Q}}}`,
    );
  });
});
