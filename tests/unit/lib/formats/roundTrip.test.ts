/**
 * Each format's answer shape, written the way the format asks the model to write it, is read back
 * exactly by the core's parser; and for the formats that declare a grammar (chat, or raw with a
 * constraint) the grammar that constrains the model accepts that same text (so constrained output is
 * always parseable).
 */
import { describe, expect, it } from 'vitest';
import { getPromptFormat, promptFormats } from '../../../../src/lib/formats/index.ts';
import type { FormatId } from '../../../../src/lib/formats/promptFormat.ts';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import type { ToolCall } from '../../../../src/lib/types/toolCall.ts';
import { acceptor } from '../grammar/xgrammar.ts';
import { weather } from './conversation.fixture.ts';

const note: FunctionSpec = {
  name: 'save_note',
  parameters: {
    type: 'object',
    properties: {
      text: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      priority: { type: 'integer' },
      urgent: { type: 'boolean' },
      meta: { type: 'object' },
    },
    required: ['text'],
  },
};
const functions = [weather, note];

const single: ToolCall[] = [
  {
    name: 'save_note',
    arguments: {
      text: 'Say "hi"\nto São Paulo 🌞',
      tags: ['a', 'b c'],
      priority: -3,
      urgent: false,
      meta: { k: [1, 2.5, null, true] },
    },
  },
];
const parallel: ToolCall[] = [
  { name: 'get_weather', arguments: { city: 'Paris' } },
  { name: 'save_note', arguments: { text: 'x' } },
];
/** Formats whose answer holds one call (Trelis fine-tunes and Llama 3.1 JSON were trained on one). */
const singleOnly = new Set<FormatId>(['trelis-v2', 'trelis-v3', 'llama3-json']);

describe.each(promptFormats.map((f) => f.id))('%s answers', (id) => {
  const format = getPromptFormat(id);
  const sets = singleOnly.has(id) ? [single] : [single, parallel];

  it.each(sets.map((calls) => [calls.length, calls] as const))(
    '%i call(s) written by the format are parsed back exactly',
    (_n, calls) => {
      const parsed = parseToolCalls(format.renderCalls(calls), functions);
      expect(parsed.errors).toEqual([]);
      expect(parsed.calls).toEqual(calls);
    },
  );

  // Qwen3.5's XML grammar cannot carry a raw newline or `<` in a value (xgrammar's qwen_xml_parameter
  // wants entities there), which these calls have: its grammar is checked in qwenConstraint.test.ts.
  it.runIf(format.syntax.constraint !== undefined && id !== 'qwen3.5')(
    'the grammar of tool_choice required and auto accepts those calls',
    async () => {
      for (const toolChoice of ['required', 'auto'] as const) {
        for (const calls of sets) {
          const built = format.build({
            functions,
            toolChoice,
            turns: [{ role: 'user', content: 'go' }],
            canConstrainRaw: true,
            thinking: false,
          });
          const rf = built.request.responseFormat;
          if (!rf) throw new Error('expected a response format');
          const ok = await acceptor(rf);
          expect(await ok(format.renderCalls(calls)), `${toolChoice}: ${format.renderCalls(calls)}`).toBe(true);
        }
      }
    },
  );
});
