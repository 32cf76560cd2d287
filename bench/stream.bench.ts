/**
 * `npm run bench:stream`: whether the page keeps up with a fast model (issue 12 §4). Not part of
 * `npm test` (timings depend on the machine).
 *
 * 1. Builds the e2e app (`vite build --mode e2e`, the engine is tests/doubles/fakeEngine.ts) into
 *    dist-e2e-bench, or reuses that build with `--reuse`; serves it as the browser tests do.
 *    `--quick` runs the 1k answers only; `--kinds=markdown,calls`, `--sizes=4000,16000` and
 *    `--rates=max` (or `1000`) run a subset. `--profile` builds without minifying (into
 *    dist-e2e-bench-profile), records a CPU profile of each stream's page (saved beside it) and prints the functions
 *    with the most self time, so what to speed up is measured rather than guessed.
 * 2. For each answer — prose, Markdown with code, prose with calls; 1k, 4k and 16k words (the double
 *    streams a word per token) — and each rate — 1,000 tokens/s by the wall clock, and as fast as
 *    the page lets the double go — a fresh page in headless Chromium loads the model, sends one
 *    message and records a Chrome trace while the answer streams. The double is scripted through
 *    `window.__CALLAMA_FAKE__` as the browser tests script it (`tokensPerSecond`), and marks the
 *    stream's start and end in the trace.
 * 3. From the double's timeline: the sustained rate (tokens / time from the first to the last token;
 *    the double runs on the page's main thread, so a page that falls behind slows it down). From the
 *    trace: the main thread's busy time while the answer streamed (every task of the renderer's main
 *    thread that overlaps the stream), per token, and its longest task; and per answer kind and rate
 *    the 16k/4k ratio of busy time (about 4 when the cost is linear).
 * 4. Reopening: the page switches to a new conversation and back, so the finished answer is shown
 *    from scratch (as when a stored conversation is opened); the main thread's busy time and longest
 *    task from the click until the answer is shown whole and the page has been idle for half a second.
 *    The same for a conversation of CONVERSATION_TURNS answers of 300 words of Markdown with code.
 *    `REOPEN_TASKS=1` prints what the long tasks of each reopening were busy with.
 * Writes bench/results/stream.json.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { FakeScript } from '../tests/doubles/fakeEngine.ts';
import { round, table } from './lib/measure.ts';
import { CHROMIUM_ARGS } from './shell.bench.ts';
import { freePort, waitForHttp } from '../scripts/localHttp.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const PROFILE = process.argv.includes('--profile');
const OUT_DIR = PROFILE ? 'dist-e2e-bench-profile' : 'dist-e2e-bench';

/** The values of `--name=a,b`, or undefined when the option is absent. */
function listOption(name: string): string[] | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg
    ?.slice(name.length + 3)
    .split(',')
    .filter(Boolean);
}

/** The three kinds of answer, then two pathological ones from issue 12's table: bold opened again and
 * again and never closed (`**a ` repeated), and the opening of a call, repeated and never closed. Not
 * run unless asked for (`--kinds=emphasis`): one line of emphasis closed at once (`*a* ` repeated),
 * thousands of `<em>` in one paragraph. */
const ALL_KINDS = ['prose', 'markdown', 'calls', 'bold', 'call-shaped'] as const;
const EXTRA_KINDS = ['emphasis'] as const;
type Kind = (typeof ALL_KINDS)[number] | (typeof EXTRA_KINDS)[number];

const SIZES = listOption('sizes')?.map(Number) ?? (process.argv.includes('--quick') ? [1_000] : [1_000, 4_000, 16_000]);
const RATES: (number | 'max')[] = listOption('rates')?.map((r) => (r === 'max' ? 'max' : Number(r))) ?? [1_000, 'max'];
const KINDS = (listOption('kinds') ?? ALL_KINDS) as Kind[];
const GOAL_TOKENS_PER_S = 1_000;
const LONG_TASK_MS = 50;

const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
];

/** `words` words of the kind of answer (the double streams one word, with its leading space, per token). */
export function answer(kind: Kind, words: number): string {
  const out: string[] = [];
  let count = 0;
  const add = (text: string) => {
    out.push(` ${text}`);
    count += text.split(/\s+/).filter(Boolean).length;
  };
  for (let i = 0; count < words; i++) {
    if (kind === 'prose') {
      add(`Sentence ${i} says the weather in Paris is mild today and tomorrow it may rain a little.`);
      if (i % 6 === 5) out.push('\n\n');
    } else if (kind === 'markdown') {
      if (i % 4 === 0)
        add(`\n\n## Part ${i}\n\nSome **bold** words, a \`code span\` and a [link](https://example.com/${i}).`);
      else if (i % 4 === 1) add('\n\n- one item of a list\n- another item with *emphasis*\n- a third');
      else if (i % 4 === 2)
        add(
          `\n\n\`\`\`ts\nfunction f${i}(x: number): number {\n  return x * ${i} + 1;\n}\nconsole.log(f${i}(2));\n\`\`\``,
        );
      else add('\n\nA paragraph after the code, explaining what the function does in plain words.');
    } else if (kind === 'bold') {
      add('**a');
    } else if (kind === 'emphasis') {
      add('*a*');
    } else if (kind === 'call-shaped') {
      add('{"name":');
    } else {
      // A call about every 80 words, prose between.
      if (i % 8 === 7)
        add(`\n<tool_call>\n{"name": "get_current_time", "arguments": {"timezone": "Asia/Tokyo"}}\n</tool_call>\n`);
      else add(`Step ${i}: I will check the time in Tokyo now, then say what it is there.`);
    }
  }
  // Cut to exactly `words` words.
  const pieces = out.join('').match(/\s*\S+/g) ?? [];
  return pieces.slice(0, words).join('').trimStart();
}

interface Row {
  kind: Kind;
  tokens: number;
  rate: number | 'max';
  streamMs: number;
  tokensPerS: number;
  mainThreadMs: number;
  msPerToken: number;
  longestTaskMs: number;
  tasksOver50Ms: number;
  reopenBusyMs: number;
  reopenLongestTaskMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; type?: string } };
}

/**
 * Busy time and longest task of the renderer's main thread between two marks: by default the double's
 * stream start and end.
 */
function mainThread(
  trace: TraceEvent[],
  marks: { start: string; end: string } = { start: 'callama-fake:stream-start', end: 'callama-fake:stream-end' },
): { busyMs: number; longestMs: number; over50: number } {
  const start = trace.find((e) => e.name === marks.start);
  const end = [...trace].reverse().find((e) => e.name === marks.end);
  if (!start || !end) throw new Error(`The trace has no marks ${marks.start} and ${marks.end}.`);
  const main = trace.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === start.pid,
  );
  const tasks = trace.filter(
    (e) =>
      e.name === 'RunTask' &&
      e.ph === 'X' &&
      e.pid === start.pid &&
      (main === undefined || e.tid === main.tid) &&
      e.ts + (e.dur ?? 0) >= start.ts &&
      e.ts <= end.ts,
  );
  const durations = tasks.map((t) => (t.dur ?? 0) / 1000);
  return {
    busyMs: durations.reduce((a, b) => a + b, 0),
    longestMs: Math.max(0, ...durations),
    over50: durations.filter((d) => d > LONG_TASK_MS).length,
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Saves a CPU profile (in dist-e2e-bench-profile-cpu/, not tracked) and prints the 25 functions with the most self time. */
function printProfile(
  profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] },
  name: string,
): void {
  const dir = join(root, `${OUT_DIR}-cpu`);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `stream-${name}.cpuprofile`);
  writeFileSync(out, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`;
    self.set(where, (self.get(where) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(`\nself time (ms), ${name} (${out}):`);
  for (const [where, ms] of top) console.log(`  ${round(ms).toString().padStart(8)}  ${where}`);
}

/** Main-thread time by trace event (style, layout, paint, script…), for a --profile run. */
function printTraceTotals(trace: TraceEvent[], startMark = 'callama-fake:stream-start'): void {
  const start = trace.find((e) => e.name === startMark);
  const main = trace.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === start?.pid,
  );
  const totals = new Map<string, { ms: number; count: number }>();
  for (const e of trace) {
    if (e.ph !== 'X' || e.pid !== start?.pid || e.tid !== main?.tid) continue;
    const t = totals.get(e.name) ?? { ms: 0, count: 0 };
    t.ms += (e.dur ?? 0) / 1000;
    t.count += 1;
    totals.set(e.name, t);
  }
  console.log('main-thread trace events (ms, count; nested events count in their parents too):');
  for (const [name, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20))
    console.log(`  ${round(t.ms).toString().padStart(8)}  ${String(t.count).padStart(6)}  ${name}`);
  // What the long tasks were busy with: their longest nested events.
  const onMain = trace.filter((e) => e.ph === 'X' && e.pid === start?.pid && e.tid === main?.tid);
  const long = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > LONG_TASK_MS * 1000);
  console.log(`tasks over ${LONG_TASK_MS} ms (at ms from the stream's start: their longest parts):`);
  for (const task of long.slice(0, 30)) {
    const end = task.ts + (task.dur ?? 0);
    const parts = onMain
      .filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && !e.name.includes('RunTask'))
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 4)
      .map((e) => {
        const d = e.args?.data;
        const what = d?.functionName ? ` ${d.functionName}@${(d.url ?? '').split('/').pop()}:${d.lineNumber}` : '';
        return `${e.name}${what}${d?.type ? ` ${d.type}` : ''} ${round((e.dur ?? 0) / 1000)}`;
      });
    console.log(
      `  ${round((task.ts - (start?.ts ?? 0)) / 1000)}: ${round((task.dur ?? 0) / 1000)} ms — ${parts.join(', ')}`,
    );
  }
}

/**
 * Shows the finished answer again from scratch: a new conversation, then back to the bench's one.
 * Measured from the click until the answer is shown whole (no text left unparsed) and the page has
 * been idle for half a second.
 */
async function reopen(
  browser: Browser,
  page: Page,
  title: string,
  answers = 1,
): Promise<{ busyMs: number; longestMs: number }> {
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('assistant-message').first().waitFor({ state: 'detached' });
  const cdp = PROFILE ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await page.evaluate(() => performance.mark('callama-bench:reopen-start'));
  await page.getByTestId('conversation-open').filter({ hasText: title }).click();
  await page.waitForFunction(
    (count) => {
      const shown = [...document.querySelectorAll('[data-testid="assistant-message"]')];
      return (
        shown.length === count &&
        shown.every((a) => a.getAttribute('data-status') === 'done' && !a.querySelector('.markdown [data-unparsed]'))
      );
    },
    answers,
    { timeout: 120_000, polling: 50 },
  );
  await page.waitForTimeout(500);
  await page.evaluate(() => performance.mark('callama-bench:reopen-end'));
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  if (cdp) printProfile((await cdp.send('Profiler.stop')).profile, `reopen-${title.replace(/\W+/g, '-')}-${answers}`);
  if (PROFILE || process.env.REOPEN_TASKS) {
    console.log('reopening:');
    printTraceTotals(trace.traceEvents, 'callama-bench:reopen-start');
  }
  const busy = mainThread(trace.traceEvents, { start: 'callama-bench:reopen-start', end: 'callama-bench:reopen-end' });
  return { busyMs: busy.busyMs, longestMs: busy.longestMs };
}

/** Opens the app with the double scripted by `script`, loads the suggested model and waits for the message box. */
async function loadModel(page: Page, url: string, script: FakeScript): Promise<void> {
  await page.addInitScript((s) => {
    window.__CALLAMA_FAKE__ = s;
  }, script);
  await page.goto(url);
  await page.getByTestId('load-suggested').click();
  // A fresh context asks before the (scripted) download, as a first visit does.
  const question = page.locator('[data-testid="download-confirm"][open]');
  await question.or(page.getByTestId('load-progress')).or(page.getByTestId('load-done')).first().waitFor();
  if (await question.isVisible()) await question.getByTestId('download-confirm-button').click();
  await page.getByTestId('composer-input').waitFor();
  await page.waitForFunction(
    () => !document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')?.disabled,
  );
}

const CONVERSATION_TURNS = 20;

interface ConversationRow {
  turns: number;
  answerChars: number;
  reopenBusyMs: number;
  reopenLongestTaskMs: number;
}

/** A conversation of CONVERSATION_TURNS questions, each answered with 300 words of Markdown, opened again. */
async function runConversationCase(browser: Browser, url: string): Promise<ConversationRow> {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  const page: Page = await context.newPage();
  const reply = answer('markdown', 300);
  // The prompt holds every question so far: the newest is matched first.
  const rules = Array.from({ length: CONVERSATION_TURNS }, (_, n) => ({ match: `BENCH ${n}\\b`, reply })).reverse();
  try {
    await loadModel(page, url, { rules, tokensPerSecond: 'max', loadMs: 20 });
    for (let n = 0; n < CONVERSATION_TURNS; n += 1) {
      await page.getByTestId('composer-input').fill(`BENCH ${n}`);
      await page.getByTestId('composer-input').press('Enter');
      await page.waitForFunction(
        (count) => {
          const answers = document.querySelectorAll('[data-testid="assistant-message"]');
          return answers.length === count && answers[count - 1]?.getAttribute('data-status') === 'done';
        },
        n + 1,
        { timeout: 120_000, polling: 50 },
      );
    }
    const reopened = await reopen(browser, page, 'BENCH 0', CONVERSATION_TURNS);
    return {
      turns: CONVERSATION_TURNS,
      answerChars: reply.length,
      reopenBusyMs: round(reopened.busyMs),
      reopenLongestTaskMs: round(reopened.longestMs),
    };
  } finally {
    await context.close();
  }
}

async function runCase(browser: Browser, url: string, kind: Kind, words: number, rate: number | 'max'): Promise<Row> {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  const page: Page = await context.newPage();
  const script: FakeScript = {
    // The answer's calls come back as results; the follow-up generation says one word.
    rules: [
      { match: 'tool_response', reply: 'Done.' },
      { match: 'BENCH', reply: answer(kind, words) },
    ],
    tokensPerSecond: rate,
    loadMs: 20,
  };
  try {
    await loadModel(page, url, script);
    await page.getByTestId('composer-input').fill('BENCH go');
    const cdp = PROFILE ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.getByTestId('composer-input').press('Enter');
    await page.waitForFunction(
      () => {
        const answers = document.querySelectorAll('[data-testid="assistant-message"]');
        const status = answers[answers.length - 1]?.getAttribute('data-status');
        return status === 'done' || status === 'stopped' || status === 'error';
      },
      undefined,
      { timeout: 600_000, polling: 250 },
    );
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    if (cdp) {
      // The trace beside the CPU profile, to open in Chrome's Performance panel.
      mkdirSync(join(root, `${OUT_DIR}-cpu`), { recursive: true });
      writeFileSync(join(root, `${OUT_DIR}-cpu`, `stream-${kind}-${words}-${rate}.trace.json`), JSON.stringify(trace));
      printProfile((await cdp.send('Profiler.stop')).profile, `${kind}-${words}-${rate}`);
      printTraceTotals(trace.traceEvents);
    }
    const streams = await page.evaluate(() => window.__callamaFake?.streams ?? []);
    const first = streams[0];
    if (!first) throw new Error('The double recorded no stream.');
    const streamMs = first.endedAt - first.firstTokenAt;
    const busy = mainThread(trace.traceEvents);
    const reopened = await reopen(browser, page, 'BENCH go');
    return {
      kind,
      tokens: first.tokens,
      rate,
      streamMs: round(streamMs),
      tokensPerS: round(first.tokens / Math.max(streamMs / 1000, 1e-3)),
      mainThreadMs: round(busy.busyMs),
      msPerToken: round(busy.busyMs / first.tokens, 3),
      longestTaskMs: round(busy.longestMs),
      tasksOver50Ms: busy.over50,
      reopenBusyMs: round(reopened.busyMs),
      reopenLongestTaskMs: round(reopened.longestMs),
    };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const reuse = process.argv.includes('--reuse') && existsSync(join(root, OUT_DIR, 'index.html'));
  if (!reuse) {
    console.log(`Building the e2e app (vite build --mode e2e) into ${OUT_DIR}…`);
    const build = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--mode',
        'e2e',
        '--logLevel',
        'warn',
        ...(PROFILE ? ['--minify', 'false'] : []),
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, CALLAMA_E2E_OUT_DIR: OUT_DIR } },
    );
    if (build.status !== 0) throw new Error(`vite build failed (exit ${build.status})`);
  }
  const port = await freePort();
  const url = `http://localhost:${port}/`;
  const server: ChildProcess = spawn(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/serveBuild.ts'), OUT_DIR, String(port)],
    { cwd: root, stdio: 'ignore' },
  );
  const rows: Row[] = [];
  let conversation: ConversationRow | undefined;
  try {
    await waitForHttp(url, 30_000);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      for (const kind of KINDS) {
        for (const rate of RATES) {
          for (const words of SIZES) {
            const row = await runCase(browser, url, kind, words, rate);
            rows.push(row);
            console.log(
              `${kind} ${words} @ ${rate}: ${row.tokensPerS} tokens/s, ${row.msPerToken} ms/token, longest task ${row.longestTaskMs} ms; reopened: longest task ${row.reopenLongestTaskMs} ms`,
            );
          }
        }
      }
      conversation = await runConversationCase(browser, url);
      console.log(
        `a conversation of ${conversation.turns} answers of ${conversation.answerChars} characters, reopened: longest task ${conversation.reopenLongestTaskMs} ms, main thread ${conversation.reopenBusyMs} ms`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    server.kill();
  }

  const ratios = [...ALL_KINDS, ...EXTRA_KINDS.filter((k) => KINDS.includes(k))].flatMap((kind) =>
    RATES.map((rate) => {
      const at = (n: number) => rows.find((r) => r.kind === kind && r.rate === rate && r.tokens === n);
      const small = at(4_000);
      const large = at(16_000);
      return { kind, rate, ratio16kTo4k: small && large ? round(large.mainThreadMs / small.mainThreadMs, 2) : null };
    }),
  );
  console.log(
    `\n${table(
      [
        'answer',
        'tokens',
        'rate',
        'tokens/s kept',
        'main ms/token',
        'longest task ms',
        `tasks > ${LONG_TASK_MS} ms`,
        'reopen: main ms',
        'reopen: longest task ms',
      ],
      rows.map((r) => [
        r.kind,
        r.tokens,
        r.rate === 'max' ? 'max' : `${r.rate}/s`,
        r.tokensPerS,
        r.msPerToken,
        r.longestTaskMs,
        r.tasksOver50Ms,
        r.reopenBusyMs,
        r.reopenLongestTaskMs,
      ]),
    )}`,
  );
  console.log(
    `\n${table(
      ['answer', 'rate', '16k/4k main-thread cost'],
      ratios.map((r) => [r.kind, r.rate === 'max' ? 'max' : `${r.rate}/s`, r.ratio16kTo4k ?? '—']),
    )}`,
  );
  const fixed = rows.filter((r) => r.rate === GOAL_TOKENS_PER_S);
  const keptUp = fixed.every((r) => r.tokensPerS >= GOAL_TOKENS_PER_S * 0.95);
  const noLongTask = rows.every((r) => r.tasksOver50Ms === 0);
  console.log(
    `\nGoal: ≥ ${GOAL_TOKENS_PER_S} tokens/s kept up: ${keptUp ? 'yes' : 'NO'}; no task over ${LONG_TASK_MS} ms: ${noLongTask ? 'yes' : 'NO'}`,
  );

  const out = join(root, 'bench/results/stream.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        goalTokensPerS: GOAL_TOKENS_PER_S,
        keptUp,
        noLongTask,
        rows,
        ratios,
        conversation,
      },
      null,
      2,
    )}\n`,
  );
  console.log('\nwrote bench/results/stream.json');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
