import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

/** A small but varied function set: required and optional arguments, enum, integer, array, none. */
export const getWeather: FunctionSpec = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string', description: 'City name' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer' },
    },
    required: ['city'],
  },
};

export const add: FunctionSpec = {
  name: 'add',
  description: 'Add two numbers.',
  parameters: {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
  },
};

export const listFiles: FunctionSpec = {
  name: 'list_files',
  description: 'List the files.',
  parameters: { type: 'object', properties: {} },
};

export const tagItems: FunctionSpec = {
  name: 'tag_items',
  description: 'Tag items.',
  parameters: {
    type: 'object',
    properties: { items: { type: 'array', items: { type: 'string' } }, urgent: { type: 'boolean' } },
    required: ['items'],
  },
};

export const functions: FunctionSpec[] = [getWeather, add, listFiles, tagItems];

/** Valid calls, one or more per function. */
export const validCalls: { name: string; arguments: Record<string, unknown> }[] = [
  { name: 'get_weather', arguments: { city: 'Paris' } },
  { name: 'get_weather', arguments: { city: 'São Paulo "SP"', unit: 'fahrenheit', days: 3 } },
  { name: 'get_weather', arguments: { city: 'Oslo', days: -2 } },
  { name: 'add', arguments: { a: 1.5, b: -2 } },
  { name: 'list_files', arguments: {} },
  { name: 'tag_items', arguments: { items: ['a', 'b c'], urgent: true } },
  { name: 'tag_items', arguments: { items: [] } },
];

/** Calls that must never get through: wrong type, missing required, unknown name or argument, bad enum. */
export const invalidCalls: { why: string; name: string; arguments: Record<string, unknown> }[] = [
  { why: 'wrong type', name: 'add', arguments: { a: '1', b: 2 } },
  { why: 'integer expected', name: 'get_weather', arguments: { city: 'Paris', days: 1.5 } },
  { why: 'missing required', name: 'get_weather', arguments: { unit: 'celsius' } },
  { why: 'unknown function', name: 'get_time', arguments: {} },
  { why: 'unknown argument', name: 'add', arguments: { a: 1, b: 2, c: 3 } },
  { why: 'not in enum', name: 'get_weather', arguments: { city: 'Paris', unit: 'kelvin' } },
  { why: 'array of strings expected', name: 'tag_items', arguments: { items: [1] } },
];
