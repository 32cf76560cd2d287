/**
 * The question the assistant asks when a call lacks required arguments (Trelis advice: "check the
 * answer has all required information and, if not, ask the user for it"). Built from the function's
 * own descriptions so it reads as plain language: "To save a note I need the note text. What should it be?"
 */
import type { FunctionSpec } from '../types/functionSpec.ts';

/** "Saves a note." → "save a note"; falls back to "call <name>" when there is no description. */
function purpose(spec: FunctionSpec | undefined, name: string): string {
  const first = firstClause(spec?.description ?? '');
  if (!first) return `call ${name}`;
  const [verb = '', ...rest] = first.split(/\s+/);
  return [toInfinitive(verb.toLowerCase()), ...rest].join(' ');
}

/** Descriptions are often written in the third person ("Gets the weather"); the question needs "get". */
function toInfinitive(word: string): string {
  if (/(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The part of a description before examples, notes or a second sentence. */
function firstClause(description: string): string {
  const cut = description.split(/,?\s+(?:e\.g\.|for example|such as|like)\s|[.;(\n]/i)[0] ?? '';
  return cut.trim().replace(/[,:]$/, '');
}

/** "The note text" → "the note text"; "City name" → "the city name"; no description → "the note_id". */
function argumentPhrase(spec: FunctionSpec | undefined, arg: string): string {
  const description = spec?.parameters.properties?.[arg]?.description;
  const clause = typeof description === 'string' ? firstClause(description) : '';
  const phrase = clause ? clause.charAt(0).toLowerCase() + clause.slice(1) : arg.replace(/_/g, ' ');
  return /^(the|a|an|your|which|what|how|when|where|who)\b/i.test(phrase) ? phrase : `the ${phrase}`;
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

export function askUserMessage(spec: FunctionSpec | undefined, name: string, missing: string[]): string {
  const needs = joinAnd(missing.map((arg) => argumentPhrase(spec, arg)));
  const question = missing.length === 1 ? 'What should it be?' : 'What should they be?';
  return `To ${purpose(spec, name)} I need ${needs}. ${question}`;
}
