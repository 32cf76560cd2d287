/**
 * The SDK validates messages with zod 4, which compiles fast parsers with `new Function` when it may.
 * The page's policy forbids eval ('unsafe-eval' is nowhere in it), and even zod's caught probe is
 * reported as a violation, so zod is told to parse without compiling. Imported first by mcpClient.ts,
 * before any SDK schema is built or used.
 */
import * as z from 'zod/v4';

z.config({ jitless: true });
