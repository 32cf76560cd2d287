import { describe, expect, it } from 'vitest';
import { describeConnectFailure, type Probe } from '../../../src/mcp/connectFailure.ts';

const url = new URL('http://127.0.0.1:4000/mcp');
const httpError = (code: number, message: string) => Object.assign(new Error(message), { code });
const probe =
  (answer: Awaited<ReturnType<Probe>>): Probe =>
  () =>
    Promise.resolve(answer);

describe('describeConnectFailure', () => {
  it('explains HTTP answers by status', async () => {
    expect(await describeConnectFailure(httpError(404, 'Not found'), url)).toContain('404 Not Found');
    expect(await describeConnectFailure(httpError(404, 'Not found'), url)).toContain('/mcp');
    expect(await describeConnectFailure(httpError(401, 'x'), url)).toContain('bearer token');
    expect(await describeConnectFailure(httpError(403, 'x'), url)).toContain('403 Forbidden');
    expect(await describeConnectFailure(httpError(500, 'Streamable HTTP error: boom'), url)).toBe(
      'The server answered 500 (boom).',
    );
  });

  it('tells missing CORS headers from nothing listening and from being offline', async () => {
    const failed = new TypeError('Failed to fetch');
    expect(await describeConnectFailure(failed, url, probe('answered'))).toContain('without the CORS headers');
    expect(await describeConnectFailure(failed, url, probe('unreachable'))).toContain(
      'Nothing answers at http://127.0.0.1:4000',
    );
    expect(await describeConnectFailure(failed, url, probe('offline'))).toContain('offline');
  });

  it('does not read a JSON-RPC error code as an HTTP status', async () => {
    const rpc = Object.assign(new Error('MCP error -32001: Request timed out'), { code: -32001 });
    expect(await describeConnectFailure(rpc, url, probe('answered'))).toBe(
      'The server at http://127.0.0.1:4000 did not answer in time.',
    );
  });
});
