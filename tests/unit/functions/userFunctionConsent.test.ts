import { describe, expect, it } from 'vitest';
import { checkUserFunction } from '../../../src/functions/userFunctions.ts';

const compile = async () => ({ ok: true as const });
const definition = JSON.stringify({ name: 'send_report', parameters: { type: 'object', properties: {} } });

describe('checkUserFunction: "Ask before running"', () => {
  it('saves confirm: true when the box is ticked, and nothing when it is not', async () => {
    const ticked = await checkUserFunction({ definition, code: 'return 1;', confirm: true }, [], { compile });
    expect(ticked.ok && ticked.def.spec.confirm).toBe(true);
    const unticked = await checkUserFunction({ definition, code: 'return 1;', confirm: false }, [], { compile });
    expect(unticked.ok && unticked.def.spec).toEqual({
      name: 'send_report',
      parameters: { type: 'object', properties: {} },
    });
  });

  it('keeps a confirm the definition itself asks for', async () => {
    const own = JSON.stringify({ name: 'send_report', confirm: true, parameters: { type: 'object', properties: {} } });
    const result = await checkUserFunction({ definition: own, code: 'return 1;' }, [], { compile });
    expect(result.ok && result.def.spec.confirm).toBe(true);
  });
});
