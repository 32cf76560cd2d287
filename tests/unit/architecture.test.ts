/**
 * Import boundaries (STYLE.md §1) that eslint.config.js does not state: only src/engine talks to
 * web-llm; nothing in src/ reaches into tests/, so the engine test double can never ship; no
 * component renders raw HTML, in any file. (src/lib's framework-free imports and the views' engine
 * boundary are ESLint's no-restricted-imports rules.)
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g,
  )) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec) found.push(spec);
  }
  return found;
}

const all = sourceFiles(join(root, 'src'));
const rel = (f: string) => relative(root, f);

describe('import boundaries', () => {
  it('only src/engine imports @mlc-ai/web-llm', () => {
    const offenders = all
      .filter((f) => !rel(f).startsWith('src/engine/'))
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => s.startsWith('@mlc-ai/web-llm'))
          .map((s) => `${rel(f)} → ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  it('nothing in src/ imports from tests/', () => {
    const offenders = all.flatMap((f) =>
      importsOf(f)
        .filter((s) => /(^|\/)tests\//.test(s))
        .map((s) => `${rel(f)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no component renders raw HTML', () => {
    const offenders = all.filter((f) => f.endsWith('.svelte') && readFileSync(f, 'utf8').includes('{@html'));
    expect(offenders.map(rel)).toEqual([]);
  });
});

/**
 * The composition root (src/main.ts, src/embed/main.ts, through src/ui/state/appContext.ts) builds
 * every state object and starts the work that reaches outside the page; modules only declare. A state
 * module that made its own instance at import would be a second, hidden root: components could import
 * it instead of taking the root's object from context, and tests would need module mocks.
 */
describe('composition root', () => {
  /** The widget's entry is its composition root: building its objects at start is its job. */
  const roots = new Set(['src/main.ts', 'src/embed/main.ts']);
  const declarers = all.filter(
    (f) => /^src\/(ui\/state|embed)\//.test(rel(f)) && f.endsWith('.ts') && !roots.has(rel(f)),
  );

  // Top-level code starts at column 0 (Prettier); anything indented is inside a function or class.
  const instanceAtImport =
    /^(?:export\s+)?(?:const|let|var)\s+[\w$]+(?:\s*:[^=\n]+)?\s*=\s*(?:new\s|\$state\b|\$derived\b)/m;
  const statementAtImport = /^(?:[\w$.]+\s*\(|new\s|void\s|await\s)/m;

  it('no module under src/ui/state or src/embed creates an instance or starts work when imported', () => {
    const offenders = declarers.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const found = [instanceAtImport.exec(text)?.[0], statementAtImport.exec(text)?.[0]].filter(Boolean);
      return found.map((line) => `${rel(f)}: ${line}`);
    });
    expect(offenders).toEqual([]);
  });

  it('recognises what it forbids', () => {
    expect(instanceAtImport.test('export const engineState = new EngineState();')).toBe(true);
    expect(instanceAtImport.test('let count: number = $state(0);')).toBe(true);
    expect(statementAtImport.test('pwa.start();')).toBe(true);
    expect(instanceAtImport.test("export const KEY = 'callama:lastModel';")).toBe(false);
    expect(statementAtImport.test('  this.start();')).toBe(false);
  });

  it('only the composition roots create the engine', () => {
    const callers = all.filter((f) => /\bcreateEngine\(/.test(readFileSync(f, 'utf8'))).map(rel);
    expect(callers.filter((f) => !f.startsWith('src/engine/')).sort()).toEqual([...roots].sort());
  });
});
