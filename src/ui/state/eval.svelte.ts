/**
 * State of the Evaluate view: which test set is loaded, which configurations (prompt format × tool
 * choice) to compare, and their runs. Runs go one configuration after another against the loaded
 * engine (one GPU, one generation at a time) and can be stopped; results stay until the next run.
 * Test sets come from the app itself (public/eval), a BFCL file pair the user picks, or URLs the user
 * types: nothing is sent anywhere.
 */
import type { TextGenerator } from '../../lib/types/generation.ts';
import type { FormatId } from '../../lib/formats/promptFormat.ts';
import { getPromptFormat } from '../../lib/formats/index.ts';
import type { EvalCase } from '../../lib/eval/evalCase.ts';
import { EVAL_CATEGORIES } from '../../lib/eval/evalCase.ts';
import { parseCases } from '../../lib/eval/parseCases.ts';
import { loadBfcl } from '../../lib/eval/loadBfcl.ts';
import { runEvaluation, type EvaluationRun } from '../../lib/eval/runEvaluation.ts';
import { errorMessage } from '../../lib/errors.ts';

export type EvalToolChoice = 'auto' | 'required';

export interface EvalConfig {
  formatId: FormatId;
  toolChoice: EvalToolChoice;
}

export interface ConfigRun {
  config: EvalConfig;
  label: string;
  status: 'waiting' | 'running' | 'done' | 'stopped';
  done: number;
  total: number;
  result?: EvaluationRun;
}

export const SHIPPED_SET_URL = `${import.meta.env.BASE_URL}eval/callama-eval.jsonl`;

export function configKey(config: EvalConfig): string {
  return `${config.formatId}:${config.toolChoice}`;
}

/**
 * Whether a format's prompts can go to a model loaded the given way: raw-prompt formats need the
 * pass-through template (`rawPrompts`), chat formats the model's own (the engine refuses a mismatch).
 */
export function runsOn(formatId: FormatId, rawPrompts: boolean): boolean {
  return (getPromptFormat(formatId).api === 'completion') === rawPrompts;
}

export function configLabel(config: EvalConfig): string {
  const mode = config.toolChoice === 'required' ? 'required (constrained when possible)' : 'auto (free)';
  return `${getPromptFormat(config.formatId).label} · ${mode}`;
}

/** Up to `perCategory` cases of each category, in file order. */
function limitCases(cases: EvalCase[], perCategory: number | null): EvalCase[] {
  if (perCategory === null) return cases;
  return EVAL_CATEGORIES.flatMap((category) => cases.filter((c) => c.category === category).slice(0, perCategory));
}

/** The source name of the test set shipped with the app (public/eval/). */
export const SHIPPED_SET_NAME = 'Callama test set';

export class EvalState {
  #cases = $state.raw<EvalCase[]>([]);
  #sourceName = $state('');
  #loadError = $state('');
  #skipped = $state.raw<string[]>([]);
  #loading = $state(false);
  #configs = $state.raw<EvalConfig[]>([]);
  #perCategory = $state<number | null>(null);
  #runs = $state.raw<ConfigRun[]>([]);
  #running = $state(false);
  #controller: AbortController | null = null;

  get cases() {
    return this.#cases;
  }
  get sourceName() {
    return this.#sourceName;
  }
  get loadError() {
    return this.#loadError;
  }
  get skipped() {
    return this.#skipped;
  }
  get loading() {
    return this.#loading;
  }
  get configs() {
    return this.#configs;
  }
  get perCategory() {
    return this.#perCategory;
  }
  get runs() {
    return this.#runs;
  }
  get running() {
    return this.#running;
  }
  /** The cases a run will use (after the per-category limit). */
  get selectedCases() {
    return limitCases(this.#cases, this.#perCategory);
  }

  /** The configurations to compare; starts as the current format, free and required. */
  ensureDefaultConfigs(formatId: FormatId): void {
    if (this.#configs.length > 0) return;
    this.#configs = [
      { formatId, toolChoice: 'auto' },
      { formatId, toolChoice: 'required' },
    ];
  }

  isSelected(config: EvalConfig): boolean {
    return this.#configs.some((c) => configKey(c) === configKey(config));
  }

  toggleConfig(config: EvalConfig): void {
    this.#configs = this.isSelected(config)
      ? this.#configs.filter((c) => configKey(c) !== configKey(config))
      : [...this.#configs, config];
  }

  setPerCategory(limit: number | null): void {
    this.#perCategory = limit !== null && Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : null;
  }

  async loadShipped(fetchText: (url: string) => Promise<string> = fetchOk): Promise<void> {
    await this.#load(SHIPPED_SET_NAME, async () => {
      const { cases, errors } = parseCases(await fetchText(SHIPPED_SET_URL));
      return { cases, skipped: errors.map((e) => e.message) };
    });
  }

  /** A BFCL question file and, for scored categories, its possible_answer file. */
  async loadBfcl(name: string, questions: string, answers: string): Promise<void> {
    await this.#load(name, async () => {
      const { cases, skipped } = loadBfcl(questions, answers);
      return { cases, skipped: skipped.map((e) => e.message) };
    });
  }

  async loadBfclUrls(
    questionsUrl: string,
    answersUrl: string,
    fetchText: (url: string) => Promise<string> = fetchOk,
  ): Promise<void> {
    await this.#load(questionsUrl, async () => {
      const [questions, answers] = await Promise.all([
        fetchText(questionsUrl),
        answersUrl ? fetchText(answersUrl) : '',
      ]);
      const { cases, skipped } = loadBfcl(questions, answers);
      return { cases, skipped: skipped.map((e) => e.message) };
    });
  }

  async #load(name: string, read: () => Promise<{ cases: EvalCase[]; skipped: string[] }>): Promise<void> {
    this.#loading = true;
    this.#loadError = '';
    try {
      const { cases, skipped } = await read();
      if (cases.length === 0) throw new Error('The file has no usable test cases.');
      this.#cases = cases;
      this.#skipped = skipped;
      this.#sourceName = name;
      this.#runs = [];
    } catch (err) {
      this.#loadError = errorMessage(err);
    } finally {
      this.#loading = false;
    }
  }

  /** Runs every selected configuration in turn. Never throws: engine failures are recorded per item. */
  /**
   * @param rawPrompts the loaded model renders raw prompts (pass-through template): only raw-prompt
   *   formats can run on it, constrained; otherwise only chat-template formats can (configurations of
   *   the other kind are not run, and the picker says why).
   */
  async run(engine: TextGenerator, rawPrompts = false): Promise<void> {
    if (this.#running || this.#configs.length === 0) return;
    const cases = this.selectedCases;
    if (cases.length === 0) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#running = true;
    const runnable = this.#configs.filter((config) => runsOn(config.formatId, rawPrompts));
    if (runnable.length === 0) {
      this.#running = false;
      this.#controller = null;
      return;
    }
    this.#runs = runnable.map((config) => ({
      config,
      label: configLabel(config),
      status: 'waiting',
      done: 0,
      total: cases.length,
    }));
    try {
      for (const [index, { config }] of this.#runs.entries()) {
        if (controller.signal.aborted) break;
        this.#patch(index, { status: 'running' });
        const result = await runEvaluation({
          cases,
          generator: engine,
          format: getPromptFormat(config.formatId),
          toolChoice: config.toolChoice,
          ...(rawPrompts ? { canConstrainRaw: true } : {}),
          signal: controller.signal,
          onProgress: ({ done }) => this.#patch(index, { done }),
        });
        this.#patch(index, { status: result.aborted ? 'stopped' : 'done', result });
      }
      this.#runs = this.#runs.map((r) => (r.status === 'waiting' ? { ...r, status: 'stopped' } : r));
    } finally {
      this.#running = false;
      this.#controller = null;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }

  #patch(index: number, change: Partial<ConfigRun>): void {
    this.#runs = this.#runs.map((r, i) => (i === index ? { ...r, ...change } : r));
  }

  /** Everything needed to compare runs later, as JSON text. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp for the file, never shown or changed
  exportJson(now: Date = new Date()): string {
    const configurations = this.#runs.map((r) => ({
      formatId: r.config.formatId,
      toolChoice: r.config.toolChoice,
      label: r.label,
      status: r.status,
      constrained: r.result?.constrained ?? false,
      constraintNote: r.result?.constraintNote ?? '',
      report: r.result?.report ?? null,
      items: r.result?.items ?? [],
    }));
    return JSON.stringify(
      {
        tool: 'Callama',
        exportedAt: now.toISOString(),
        testSet: this.#sourceName,
        cases: this.selectedCases.length,
        configurations,
      },
      null,
      2,
    );
  }
}

async function fetchOk(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not download ${url} (HTTP ${response.status}).`);
  return response.text();
}
