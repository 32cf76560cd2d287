import { describe, expect, it } from 'vitest';
import { admitTools, mcpFunctionName, MAX_TOOLS_PER_SERVER } from '../../../../src/lib/mcp/admitTools.ts';

const object = (properties: Record<string, unknown> = {}) => ({ type: 'object', properties });

describe('admitTools', () => {
  it('admits a well-formed tool under <server>__<tool>, asking before each call, without $schema', () => {
    const { admitted, refused } = admitTools(
      'demo',
      [
        {
          name: 'add',
          description: 'Adds.',
          inputSchema: { ...object({ a: { type: 'number' } }), $schema: 'http://json-schema.org/draft-07/schema#' },
        },
      ],
      [],
    );
    expect(refused).toEqual([]);
    expect(admitted).toEqual([
      {
        tool: 'add',
        functionName: 'demo__add',
        spec: { name: 'demo__add', description: 'Adds.', parameters: object({ a: { type: 'number' } }), confirm: true },
      },
    ]);
  });

  it('turns characters a function name cannot hold into _', () => {
    expect(mcpFunctionName('files', 'read-file.v2')).toBe('files__read_file_v2');
  });

  it('refuses a catastrophic pattern, with the pattern in the reason', () => {
    const { admitted, refused } = admitTools(
      's',
      [{ name: 'redos', inputSchema: object({ t: { type: 'string', pattern: '^(a+)+$' } }) }],
      [],
    );
    expect(admitted).toEqual([]);
    expect(refused[0]?.tool).toBe('redos');
    expect(refused[0]?.reasons.join(' ')).toContain('^(a+)+$');
  });

  it('refuses an own __proto__ key anywhere in the schema, and a replaced prototype', () => {
    const own = JSON.parse(
      '{"type":"object","properties":{"x":{"type":"object","properties":{"__proto__":{}}}}}',
    ) as unknown;
    const swapped = object();
    Object.setPrototypeOf(swapped.properties, { evil: { type: 'string' } });
    const { admitted, refused } = admitTools(
      's',
      [
        { name: 'own', inputSchema: own },
        { name: 'swapped', inputSchema: swapped },
      ],
      [],
    );
    expect(admitted).toEqual([]);
    expect(refused.map((r) => [r.tool, r.reasons.some((t) => t.includes('__proto__'))])).toEqual([
      ['own', true],
      ['swapped', true],
    ]);
  });

  it('refuses a schema too large for a prompt, and a tool without a schema or a name', () => {
    const huge = object(
      Object.fromEntries(
        Array.from({ length: 400 }, (_, i) => [`f${i}`, { type: 'string', description: 'x'.repeat(80) }]),
      ),
    );
    const { refused } = admitTools(
      's',
      [{ name: 'huge', inputSchema: huge }, { name: 'bare' }, { name: 42, inputSchema: object() }],
      [],
    );
    expect(refused[0]?.reasons.join(' ')).toMatch(/characters of JSON/);
    expect(refused[1]?.reasons).toEqual(['The tool has no input schema object.']);
    expect(refused[2]).toEqual({ tool: '#3', reasons: ['The tool has no name.'] });
  });

  it('refuses a name already taken, and a second tool that maps to the same name', () => {
    const { admitted, refused } = admitTools(
      'demo',
      [
        { name: 'add', inputSchema: object() },
        { name: 'a-b', inputSchema: object() },
        { name: 'a.b', inputSchema: object() },
      ],
      ['demo__add'],
    );
    expect(admitted.map((t) => t.functionName)).toEqual(['demo__a_b']);
    expect(refused.map((r) => r.tool)).toEqual(['add', 'a.b']);
    expect(refused[0]?.reasons[0]).toContain('already taken');
  });

  it('refuses names that would be longer than 64 characters', () => {
    const { refused } = admitTools('demo', [{ name: 'x'.repeat(70), inputSchema: object() }], []);
    expect(refused[0]?.reasons[0]).toContain('too long');
  });

  it(`admits at most ${MAX_TOOLS_PER_SERVER} tools and says so for the rest`, () => {
    const listed = Array.from({ length: MAX_TOOLS_PER_SERVER + 2 }, (_, i) => ({
      name: `t${i}`,
      inputSchema: object(),
    }));
    const { admitted, refused } = admitTools('s', listed, []);
    expect(admitted).toHaveLength(MAX_TOOLS_PER_SERVER);
    expect(refused).toHaveLength(2);
    expect(refused[0]?.reasons[0]).toContain(`more than ${MAX_TOOLS_PER_SERVER} tools`);
  });
});
