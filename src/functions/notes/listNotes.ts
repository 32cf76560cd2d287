import type { BuiltinFunction } from '../builtinFunction.ts';
import { InvalidArgumentError } from '../functionErrors.ts';
import type { NoteStore } from './NoteStore.ts';

const DEFAULT_LIMIT = 20;

export function createListNotes(store: NoteStore): BuiltinFunction {
  return {
    id: 'list_notes',
    label: 'List notes',
    enabledByDefault: true,
    spec: {
      name: 'list_notes',
      description: "List the user's saved notes, most recent first, each with its id, text and creation time.",
      parameters: {
        type: 'object',
        properties: {
          limit: {
            type: 'integer',
            description: `Optional. How many notes to return at most. Default: ${DEFAULT_LIMIT}.`,
          },
        },
        required: [],
      },
    },
    handler: async (args) => {
      const raw = args.limit ?? DEFAULT_LIMIT;
      const limit = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
        throw new InvalidArgumentError(
          'limit',
          `"limit" must be a whole number of at least 1, got ${JSON.stringify(raw)}.`,
        );
      }
      const notes = await store.list(limit);
      return { count: notes.length, notes };
    },
  };
}
