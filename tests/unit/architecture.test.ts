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
