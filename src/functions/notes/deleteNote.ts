import type { BuiltinFunction } from '../builtinFunction.ts';
import { InvalidArgumentError, optionalString } from '../functionErrors.ts';
import type { Note, NoteStore } from './NoteStore.ts';

/** Thrown when nothing matched, so the model can tell the user instead of claiming success. */
export class NoteNotFoundError extends Error {
  override readonly name = 'NoteNotFoundError';
  readonly by: 'id' | 'text';
  readonly value: string;
  constructor(by: 'id' | 'text', value: string) {
    super(`No note has the ${by} ${JSON.stringify(value)}. Call list_notes to see the saved notes.`);
    this.by = by;
    this.value = value;
  }
}

export function createDeleteNote(store: NoteStore): BuiltinFunction {
  return {
    id: 'delete_note',
    label: 'Delete a note',
    enabledByDefault: false,
    spec: {
      name: 'delete_note',
      // Asks the user first (dispatch enforces it): deletes a saved note for good.
      confirm: true,
      description:
        'Delete a saved note, chosen by its id (from list_notes) or by its exact text. One of "id" or "text" is required. Returns the deleted notes.',
      parameters: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'Optional. The id of the note to delete.' },
          text: {
            type: 'string',
            description: 'Optional. The exact text of the note(s) to delete, used when no id is given.',
          },
        },
        required: [],
      },
    },
    handler: async (args) => {
      const id = optionalString(args, 'id');
      const text = typeof args.text === 'string' ? args.text : undefined;
      let deleted: Note[];
      if (id !== undefined) {
        const note = await store.deleteById(id);
        if (!note) throw new NoteNotFoundError('id', id);
        deleted = [note];
      } else if (text !== undefined && text.trim() !== '') {
        // Exact text first; notes are saved trimmed, so a model that adds spaces still matches.
        deleted = await store.deleteByText(text);
        if (deleted.length === 0 && text.trim() !== text) deleted = await store.deleteByText(text.trim());
        if (deleted.length === 0) throw new NoteNotFoundError('text', text);
      } else {
        throw new InvalidArgumentError('id', 'Give the "id" or the exact "text" of the note to delete.');
      }
      return { deleted: deleted.length, notes: deleted };
    },
  };
}
