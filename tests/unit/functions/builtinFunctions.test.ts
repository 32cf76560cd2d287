import { describe, expect, it } from 'vitest';
import { builtinFunctions, createBuiltinFunctions } from '../../../src/functions/index.ts';
import { validateFunctionSpec } from '../../../src/lib/validate/validateFunctionSpec.ts';
import { describesOptional } from '../../../src/lib/prompt/trelisV2.ts';
import { fakeBrowserApis } from './fakeBrowserApis.ts';

describe('builtinFunctions', () => {
  it('lists every built-in function once, with ids matching names', () => {
    expect(builtinFunctions.map((f) => f.spec.name)).toEqual([
      'get_current_time',
      'calculate',
      'search_bing',
      'search_arxiv',
      'open_url',
      'save_note',
      'list_notes',
      'delete_note',
      'set_timer',
      'copy_to_clipboard',
      'get_location',
    ]);
    for (const fn of builtinFunctions) expect(fn.id).toBe(fn.spec.name);
  });

  it('has valid specs the registry will accept, with no name taken twice', () => {
    const taken: string[] = [];
    for (const fn of createBuiltinFunctions({ apis: fakeBrowserApis() })) {
      expect(validateFunctionSpec(fn.spec, taken), fn.spec.name).toEqual({ ok: true, spec: fn.spec });
      taken.push(fn.spec.name);
    }
  });

  it('says in each description what is optional, so Trelis v2 prompts keep it', () => {
    for (const fn of builtinFunctions) {
      expect(fn.spec.description?.length, fn.spec.name).toBeGreaterThan(20);
      expect(fn.label.length).toBeGreaterThan(0);
      const required = new Set(fn.spec.parameters.required ?? []);
      for (const [arg, schema] of Object.entries(fn.spec.parameters.properties ?? {})) {
        // The seed functions keep the cards' exact wording, which has no "Required." prefix.
        if (fn.spec.name.startsWith('search_')) continue;
        expect(describesOptional(schema.description), `${fn.spec.name}.${arg}`).toBe(!required.has(arg));
      }
    }
  });
});
