/**
 * Loads @mlc-ai/web-xgrammar (the grammar engine web-llm bundles) in Node, to check constraints
 * without a model. Its build is a UMD bundle wrapping emscripten output, in a `"type": "module"`
 * package, which Node loads as ESM. Two things then go wrong, both worked around here:
 * - emscripten's Node branch calls `require('url').pathToFileURL(__filename)`, and neither exists in
 *   ES module scope (ReferenceError) — so both are provided on globalThis before the import;
 * - the UMD wrapper finds no CommonJS `exports`, so it publishes the API on `globalThis.xgrammar`
 *   instead of as module exports (the ESM namespace is empty).
 * The wasm is inlined as base64, so nothing is fetched.
 */
import { createRequire } from 'node:module';
import type * as XGrammar from '@mlc-ai/web-xgrammar';
import type { ResponseFormat } from '../../../../src/lib/types/generation.ts';

type XGrammarModule = typeof XGrammar;

let loaded: Promise<XGrammarModule> | undefined;

export function loadXGrammar(): Promise<XGrammarModule> {
  loaded ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    const require = createRequire(import.meta.url);
    g['require'] ??= require;
    g['__filename'] ??= require.resolve('@mlc-ai/web-xgrammar');
    await import('@mlc-ai/web-xgrammar');
    const api = g['xgrammar'] as XGrammarModule | undefined;
    if (!api?.Grammar) throw new Error('web-xgrammar did not publish globalThis.xgrammar');
    return api;
  })();
  return loaded;
}

/** Compiles a response_format the way web-llm 0.2.86 does (its compile* calls use these defaults). */
export async function grammarFor(format: ResponseFormat): Promise<XGrammar.Grammar> {
  const { Grammar } = await loadXGrammar();
  switch (format.type) {
    case 'json_object':
      return format.schema === undefined ? Grammar.builtinJSONGrammar() : Grammar.fromJSONSchema(format.schema);
    case 'grammar':
      return Grammar.fromEBNF(format.grammar);
    case 'structural_tag':
      // web-llm passes response_format.structural_tag (our structuralTag) through unchanged.
      return Grammar.fromStructuralTag(format.structuralTag as XGrammar.StructuralTagLike);
  }
}

/** A whole-output checker: does the constrained generation allow exactly this text? */
export async function acceptor(format: ResponseFormat): Promise<(text: string) => Promise<boolean>> {
  const { Testings } = await loadXGrammar();
  const grammar = await grammarFor(format);
  return (text) => Testings.isGrammarAcceptString(grammar, text);
}
