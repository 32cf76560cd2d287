/**
 * The functions' argument schemas are prepared while the model writes its first answer (runAgent,
 * prepareArgumentSchemas), not in the task that parses the answer: a built-in function's schema is
 * registered unprepared, and preparing the first one of a session took 15–25 ms of that task.
 */
import { describe, expect, it } from 'vitest';
import { runAgent } from '../../../../src/lib/agent/runAgent.ts';
import { FunctionRegistry } from '../../../../src/lib/dispatch/registry.ts';
import { getPromptFormat } from '../../../../src/lib/formats/index.ts';
import { nextTask } from '../../../../src/lib/async/nextTask.ts';
import type { JSONSchema } from '../../../../src/lib/types/functionSpec.ts';
import type { GenerateResult, TextGenerator } from '../../../../src/lib/types/generation.ts';

/**
 * A schema that counts how often it is written as JSON on its own (preparing it does that once);
 * written inside a prompt, as a spec's `parameters`, it is not counted.
 */
function countedSchema(): { schema: JSONSchema; reads: () => number } {
  let reads = 0;
  const plain = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  const schema = {
    ...plain,
    toJSON(key: string) {
      if (key === '') reads++;
      return plain;
    },
  } as unknown as JSONSchema;
  return { schema, reads: () => reads };
}

/** Generates nothing until `finish`. */
class HeldGenerator implements TextGenerator {
  #end: ((r: GenerateResult) => void) | undefined;
  asked = 0;
  generate(): Promise<GenerateResult> {
    this.asked++;
    return new Promise((resolve) => (this.#end = resolve));
  }
  finish(text: string): void {
    this.#end?.({ text, finishReason: 'stop' });
  }
  interrupt(): void {
    this.#end?.({ text: '', finishReason: 'abort' });
  }
  finishingStopped(): boolean {
    return false;
  }
}

const tasks = async (n: number) => {
  for (let i = 0; i < n; i++) await nextTask();
};

/** Runs the loop on `question` until the model is asked for its first answer. */
async function askedOnce(registry: FunctionRegistry, question: string, signal?: AbortSignal) {
  const generator = new HeldGenerator();
  const run = runAgent({
    generator,
    format: getPromptFormat('qwen3'),
    registry,
    turns: [{ role: 'user', content: question }],
    maxCalls: 1,
    ...(signal ? { signal } : {}),
  });
  while (generator.asked === 0) await nextTask();
  return { generator, run };
}

describe('argument schemas', () => {
  it('are prepared during the first generation, and the answer then checks the call without preparing again', async () => {
    const weather = countedSchema();
    const time = countedSchema();
    const registry = new FunctionRegistry();
    registry.registerChecked({
      spec: { name: 'get_weather', parameters: weather.schema },
      handler: () => ({ mild: true }),
    });
    registry.registerChecked({ spec: { name: 'get_time', parameters: time.schema }, handler: () => ({ noon: true }) });
    const { generator, run } = await askedOnce(registry, 'Weather in Paris?');
    const whenAsked = weather.reads();
    await tasks(4);
    expect(weather.reads()).toBe(whenAsked + 1);
    expect(time.reads()).toBeGreaterThan(0);
    const prepared = weather.reads();

    generator.finish('<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>');
    while (generator.asked === 1) await nextTask();
    generator.finish('It is mild.');
    const outcome = await run;
    expect(outcome.reason).toBe('answered');
    expect(outcome.turns.some((t) => t.role === 'tool')).toBe(true);
    // Checking the call's arguments read the prepared schema, not the object again.
    expect(weather.reads()).toBe(prepared);
  });

  it('stop being prepared when the answer is stopped', async () => {
    const schemas = Array.from({ length: 5 }, countedSchema);
    const registry = new FunctionRegistry();
    schemas.forEach(({ schema }, i) =>
      registry.registerChecked({ spec: { name: `f${i}`, parameters: schema }, handler: () => null }),
    );
    const controller = new AbortController();
    const { run } = await askedOnce(registry, 'hi', controller.signal);
    const before = schemas.map((s) => s.reads());
    controller.abort();
    await run;
    await tasks(8);
    expect(schemas.map((s) => s.reads())).toEqual(before);
  });
});
