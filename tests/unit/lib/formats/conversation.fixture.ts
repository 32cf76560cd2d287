import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import type { ChatMessage } from '../../../../src/lib/types/generation.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';

export const weather: FunctionSpec = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
  },
};

export const add: FunctionSpec = {
  name: 'add',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
};

export const system = 'You are terse.';

/** The first question alone. */
export const question: Turn[] = [{ role: 'user', content: 'Weather in Paris?' }];

/** The question, the model's call (raw text as the format writes it), and the result to answer. */
export function withResult(rawCall: string): Turn[] {
  return [
    ...question,
    { role: 'assistant', content: rawCall, calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
    { role: 'tool', name: 'get_weather', content: '{"temp":21}' },
  ];
}

/** A second exchange after the answer to the first. */
export function multiTurn(rawCall: string): Turn[] {
  return [
    ...withResult(rawCall),
    { role: 'assistant', content: 'It is 21 °C.' },
    { role: 'user', content: 'And 2+3?' },
  ];
}

/** The chat messages of a chat-API prompt (fails the test on a raw completion request). */
export function messages(built: BuiltPrompt): ChatMessage[] {
  if (built.request.api !== 'chat') throw new Error('expected a chat request');
  return built.request.messages;
}
