import { describe, expect, it } from 'vitest';
import { askUserMessage } from '../../../../src/lib/agent/askUserMessage.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const flights: FunctionSpec = {
  name: 'search_flights',
  description: 'Searches flights between two airports (IATA codes).',
  parameters: {
    type: 'object',
    properties: {
      origin: { type: 'string', description: 'Departure airport, e.g. LHR' },
      destination: { type: 'string', description: 'The arrival airport' },
      date_iso: { type: 'string' },
    },
    required: ['origin', 'destination', 'date_iso'],
  },
};

describe('askUserMessage', () => {
  it('names one missing argument from its description', () => {
    expect(askUserMessage(flights, 'search_flights', ['origin'])).toBe(
      'To search flights between two airports I need the departure airport. What should it be?',
    );
  });

  it('lists several missing arguments and falls back to the argument name', () => {
    expect(askUserMessage(flights, 'search_flights', ['origin', 'destination', 'date_iso'])).toBe(
      'To search flights between two airports I need the departure airport, the arrival airport and the date iso. What should they be?',
    );
  });

  it('works without a description', () => {
    expect(askUserMessage(undefined, 'ping_host', ['host'])).toBe(
      'To call ping_host I need the host. What should it be?',
    );
  });
});
