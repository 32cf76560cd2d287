/**
 * The app and the widget run one chat core (lib/chat/): the same scripted conversation — Stop in the
 * middle of a call, a failing reply, a context overflow, a call cut off by the token limit, a consent
 * refusal — goes through the app's view and the widget's view, and both store the same messages, send
 * the model the same prompts, and show the same thing (the app's parts and notes, the widget's items).
 */
import { describe, expect, it } from 'vitest';
import { embedItems, type EmbedItem } from '../../../src/embed/embedItems.ts';
import { answerNotes, stepParts } from '../../../src/lib/chat/stepParts.ts';
import type { AssistantMessage, Message } from '../../../src/lib/types/chat.ts';
import { appView, CALCULATE, ORDER, widgetView, type ChatView, type Reply, type ViewOptions } from './bothViews.ts';

/** The messages without what differs by construction: random ids and clock times. */
function stored(messages: Message[]): unknown {
  const drop = new Set(['id', 'createdAt', 'callId', 'startedAt', 'endedAt']);
  return JSON.parse(JSON.stringify(messages, (key: string, value: unknown) => (drop.has(key) ? undefined : value)));
}
/** The widget's list without ids (an answer's actions name their message by id too). */
const shown = (items: EmbedItem[]) =>
  items.map(({ id: _id, ...rest }) => {
    if (rest.kind !== 'actions') return rest;
    const { messageId: _messageId, ...actions } = rest;
    return actions;
  });
const lastAnswer = (view: ChatView): AssistantMessage => {
  const m = view.messages().at(-1);
  if (m?.role !== 'assistant') throw new Error('no answer');
  return m;
};
const tick = () => new Promise((r) => setTimeout(r, 0));

/**
 * Runs `script` through both views and checks they agree on what was stored, sent and shown.
 * @returns both views, for the scenario's own expectations
 */
async function both(replies: () => Reply[], script: (view: ChatView) => Promise<void>, options: ViewOptions = {}) {
  const app = await appView(replies(), options);
  const widget = await widgetView(replies(), options);
  for (const view of [app, widget]) {
    view.engine.atStopPoint = () => view.stop();
    await script(view);
  }
  expect(stored(widget.messages())).toEqual(stored(app.messages()));
  expect(widget.engine.requests).toEqual(app.engine.requests);
  const items = shown(embedItems(widget.messages(), [], () => false));
  expect(items).toEqual(shown(embedItems(app.messages(), [], () => false)));
  return { app, widget, items };
}

const CALL = '<tool_call>\n{"name": "calculate", "arguments": {"expression": "23*19"}}\n</tool_call>';

describe('one chat core for the app and the widget', () => {
  it('Stop in the middle of a call: an unfinished call card, never the raw call text; the next prompt goes on', async () => {
    const { app, items } = await both(
      () => [{ text: CALL, stopAt: '"23' }, { text: 'Fine.' }],
      async (view) => {
        await view.send('What is 23*19?');
        expect(lastAnswer(view).status).toBe('stopped');
        await view.send('Never mind.');
      },
      { functions: [CALCULATE] },
    );
    const stopped = app.messages()[1] as AssistantMessage;
    const parts = stopped.steps.flatMap((s) => stepParts(s, false));
    expect(parts.map((p) => p.kind)).toEqual(['draft']);
    expect(answerNotes(stopped).map((n) => n.kind)).toEqual(['stopped']);
    expect(items.map((i) => i.kind)).toEqual(['user', 'call', 'notice', 'actions', 'user', 'assistant', 'actions']);
    expect(items[1]).toMatchObject({ kind: 'call', name: 'calculate', status: 'unfinished' });
    expect(JSON.stringify(items)).not.toContain('<tool_call>');
  });

  it('a failing reply keeps its message on screen but leaves the pair out of the next prompt', async () => {
    const { app, items } = await both(
      () => [{ fail: Object.assign(new Error('GPU device lost'), { name: 'DeviceLostError' }) }, { text: 'Hello.' }],
      async (view) => {
        await view.send('first');
        await view.send('second');
      },
    );
    expect(app.messages().map((m) => (m.role === 'assistant' ? m.status : m.content))).toEqual([
      'first',
      'error',
      'second',
      'done',
    ]);
    const prompt = JSON.stringify(app.engine.requests.at(-1));
    expect(prompt).toContain('second');
    expect(prompt).not.toContain('first');
    expect(items.map((i) => i.kind)).toEqual(['user', 'error', 'actions', 'user', 'assistant', 'actions']);
  });

  it('a context overflow leaves the oldest exchanges out of the prompt, with the same note', async () => {
    const long = (tag: string) => `${tag} ${'lorem ipsum dolor sit amet '.repeat(40)}`;
    const { app, items } = await both(
      () => [],
      async (view) => {
        for (const tag of ['FIRST', 'SECOND', 'THIRD']) await view.send(long(tag));
      },
      { contextWindow: 1024 },
    );
    const note = answerNotes(lastAnswer(app)).find((n) => n.kind === 'context');
    expect(note?.text).toMatch(
      /earlier messages? (was|were) left out of the prompt to fit the model's 1,024-token context/,
    );
    expect(items.filter((i) => i.kind === 'notice').at(-1)).toMatchObject({ text: note?.text });
    expect(JSON.stringify(app.engine.requests.at(-1))).not.toContain('FIRST');
  });

  it('a call cut off by the token limit is an error card, not a half-run call', async () => {
    const { app, items } = await both(
      () => [{ text: '<tool_call>\n{"name": "calculate", "arguments": {"expression": "23', finishReason: 'length' }],
      async (view) => view.send('What is 23*19?'),
      { functions: [CALCULATE] },
    );
    const answer = lastAnswer(app);
    expect(answer.steps[0]?.parsed?.errors.some((e) => e.cut === true)).toBe(true);
    expect(answer.steps[0]?.calls).toEqual([]);
    // A cut call has its error card; the prose token-limit note would say the same twice.
    expect(answerNotes(answer).map((n) => n.kind)).toEqual([]);
    expect(items.map((i) => i.kind)).toEqual(['user', 'error', 'actions']);
  });

  it('a refused call is declined, the card says so, and the model is told', async () => {
    const orderCall = '<tool_call>\n{"name": "place_order", "arguments": {"item": "tea"}}\n</tool_call>';
    const { app, items } = await both(
      () => [{ text: orderCall }, { text: 'OK, no order.' }],
      async (view) => {
        const done = view.send('Order tea');
        while (view.consent.pending.length === 0) await tick();
        view.consent.answer(view.consent.pending[0]?.callId ?? '', 'deny');
        await done;
      },
      { functions: [ORDER] },
    );
    expect(JSON.stringify(app.engine.requests[1])).toContain('The user declined to run place_order.');
    expect(items.find((i) => i.kind === 'call')).toMatchObject({
      status: 'declined',
      result: { ok: false, error: { kind: 'declined', message: 'The user declined to run place_order.' } },
    });
  });

  it('the message actions: regenerate, select a version, continue a cut answer, edit and resend', async () => {
    const { app } = await both(
      () => [
        { text: 'Paris.' },
        { text: 'It is Paris.' },
        { text: 'One, two,', finishReason: 'length' },
        { text: ' three.' },
        { text: 'Rome.' },
      ],
      async (view) => {
        await view.send('Capital of France?');
        const first = lastAnswer(view).id;
        await view.regenerate(first);
        view.selectVersion(first, 0);
        await view.send('Count to three');
        await view.continueAnswer(lastAnswer(view).id);
        const question = view.messages()[0];
        if (!question) throw new Error('no message');
        await view.editAndResend(question.id, 'Capital of Italy?');
      },
      { formatId: 'qwen3' },
    );
    // Both views sent the same five prompts (the continuation ending with the cut text) and kept the same messages.
    expect(app.engine.requests).toHaveLength(5);
    const continued = app.engine.requests[3];
    expect(continued?.api === 'completion' && continued.prompt.endsWith('One, two,')).toBe(true);
    // The prompt after Count to three carried the selected (first) version; the edited one nothing before it.
    expect(JSON.stringify(app.engine.requests[2])).toContain('Paris.');
    expect(JSON.stringify(app.engine.requests[2])).not.toContain('It is Paris.');
    expect(JSON.stringify(app.engine.requests[4])).not.toContain('France');
    expect(app.messages().map((m) => (m.role === 'user' ? m.content : m.status))).toEqual([
      'Capital of Italy?',
      'done',
    ]);
  });
});
