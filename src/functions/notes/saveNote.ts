import type { BuiltinFunction } from '../builtinFunction.ts';
import { InvalidArgumentError, requiredString } from '../functionErrors.ts';
import type { NoteStore } from './NoteStore.ts';

const MAX_NOTE_LENGTH = 10_000;

export function createSaveNote(store: NoteStore): BuiltinFunction {
  return {
    id: 'save_note',
    label: 'Save a note',
    enabledByDefault: true,
    spec: {
      name: 'save_note',
      description:
        'Save a short note for the user in this browser, to read back later with list_notes. Returns the saved note with its id.',
      parameters: {
        type: 'object',
        properties: { text: { type: 'string', description: 'Required. The text of the note.' } },
        required: ['text'],
      },
    },
    handler: async (args) => {
      const text = requiredString(args, 'text');
      if (text.length > MAX_NOTE_LENGTH) {
        throw new InvalidArgumentError(
          'text',
          `A note can hold at most ${MAX_NOTE_LENGTH} characters; this one has ${text.length}.`,
        );
      }
      return store.save(text);
    },
  };
}
