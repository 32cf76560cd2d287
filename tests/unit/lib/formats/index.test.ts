import { describe, expect, it } from 'vitest';
import { FORMAT_IDS, getPromptFormat, isFormatId, promptFormats } from '../../../../src/lib/formats/index.ts';
import { ToolChoiceError } from '../../../../src/lib/grammar/toolChoice.ts';
import { PromptBuildError } from '../../../../src/lib/errors.ts';
import { question, weather } from './conversation.fixture.ts';

describe('prompt format registry', () => {
  it('has exactly one format per catalog id, each with a source URL', () => {
    expect(promptFormats.map((f) => f.id).sort()).toEqual([...FORMAT_IDS].sort());
    for (const id of FORMAT_IDS) {
      expect(getPromptFormat(id).id).toBe(id);
      expect(() => new URL(getPromptFormat(id).source)).not.toThrow();
    }
  });

  it('recognises format ids', () => {
    expect(isFormatId('hermes')).toBe(true);
    expect(isFormatId('llama3.2-pythonic')).toBe(true);
    expect(isFormatId('chatml')).toBe(false);
  });

  it.each(FORMAT_IDS)('%s: uses the API it declares, constrains exactly when it declares a call grammar', (id) => {
    const format = getPromptFormat(id);
    // An engine that loaded the model for raw prompts can constrain them too (pass-through template, buildRawPrompt.ts).
    const built = format.build({
      functions: [weather],
      system: 'S',
      turns: question,
      toolChoice: 'required',
      canConstrainRaw: true,
    });
    expect(built.request.api).toBe(format.api);
    expect(built.constrained).toBe(format.syntax.constraint !== undefined);
    expect(built.request.responseFormat !== undefined).toBe(built.constrained);
    expect(built.constraintNote.length).toBeGreaterThan(20);
    const off = format.build({ functions: [weather], turns: question, canConstrain: false, canConstrainRaw: true });
    expect(off.constrained).toBe(false);
    // A raw prompt on a model loaded with its own template is never sent with a grammar (the engine would refuse it).
    if (format.api === 'completion')
      expect(format.build({ functions: [weather], turns: question, toolChoice: 'required' }).constrained).toBe(false);
  });

  it.each(FORMAT_IDS)('%s: keeps the system prompt and lists the functions', (id) => {
    const built = getPromptFormat(id).build({ functions: [weather], system: 'Be kind.', turns: question });
    const text =
      built.request.api === 'chat' ? built.request.messages.map((m) => m.content).join('\n') : built.request.prompt;
    expect(text).toContain('Be kind.');
    expect(text).toContain('get_weather');
    expect(text).toContain('Weather in Paris?');
  });

  it.each(FORMAT_IDS)('%s: rejects a forced function that is not enabled, and an empty conversation', (id) => {
    const format = getPromptFormat(id);
    expect(() => format.build({ functions: [weather], turns: question, toolChoice: { function: 'nope' } })).toThrow(
      ToolChoiceError,
    );
    expect(() => format.build({ functions: [weather], turns: [] })).toThrow(PromptBuildError);
  });
});
