/**
 * The message actions of the chat core (lib/chat/chatSession.ts, answerVersions.ts): Regenerate keeps
 * the earlier answer as a version, the next prompt reads the selected version only, Continue writes on
 * from a cut answer, Edit and resend drops what followed, and a conversation's switched-off functions
 * are not in its prompt.
 */
import { describe, expect, it } from 'vitest';
import { ChatSession, type SendOptions } from '../../../src/lib/chat/chatSession.ts';
import { allVersions, selectVersion, versionCount } from '../../../src/lib/chat/answerVersions.ts';
import { answerText, historyTurns, reviveMessages } from '../../../src/lib/chat/messages.ts';
import { FunctionRegistry } from '../../../src/lib/dispatch/registry.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import type { FormatId } from '../../../src/lib/formats/promptFormat.ts';
import type { AssistantMessage, Message } from '../../../src/lib/types/chat.ts';
import type { GenerateRequest } from '../../../src/lib/types/generation.ts';
import { CALCULATE, ScriptedStream, type Reply } from './bothViews.ts';

function setup(replies: Reply[], formatId: FormatId = 'qwen3') {
  const engine = new ScriptedStream(replies);
  const registry = new FunctionRegistry();
  registry.register(CALCULATE.spec, CALCULATE.handler);
  registry.register(
    { name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: {} } },
    () => ({ sunny: true }),
  );
  const session = new ChatSession({
    readiness: () => ({ generator: engine, modelId: 'm', format: getPromptFormat(formatId) }),
    registry: () => registry,
  });
  engine.atStopPoint = () => session.stop();
  const messages: Message[] = [];
  return { engine, session, messages };
}

const answerAt = (messages: Message[], i: number): AssistantMessage => {
  const m = messages[i];
  if (m?.role !== 'assistant') throw new Error(`no answer at ${i}`);
  return m;
};

/** The text of a request's prompt (raw) or of all its messages (chat). */
const promptOf = (r: GenerateRequest | undefined): string =>
  r === undefined ? '' : r.api === 'completion' ? r.prompt : r.messages.map((m) => m.content).join('\n');

describe('Regenerate', () => {
  it('keeps the earlier answer as a version, shows the new one as 2 / 2, and either can be selected', async () => {
    const { session, messages } = setup([{ text: 'Paris.' }, { text: 'It is Paris.' }]);
    await session.send(messages, 'Capital of France?');
    const answer = answerAt(messages, 1);
    const again = await session.regenerate(messages, answer.id);
    expect(again).toBe(answer);
    expect(messages).toHaveLength(2);
    expect(versionCount(answer)).toBe(2);
    expect(answer.version).toBe(1);
    expect(answerText(answer)).toBe('It is Paris.');
    selectVersion(answer, 0);
    expect(answerText(answer)).toBe('Paris.');
    expect(answer.version).toBe(0);
    expect(allVersions(answer).map((v) => v.status)).toEqual(['done', 'done']);
  });

  it('sends the same prompt again, without the answer it replaces', async () => {
    const { engine, session, messages } = setup([{ text: 'Paris.' }, { text: 'It is Paris.' }]);
    await session.send(messages, 'Capital of France?');
    await session.regenerate(messages, answerAt(messages, 1).id);
    expect(engine.requests).toHaveLength(2);
    expect(engine.requests[1]).toEqual(engine.requests[0]);
  });

  it('only the last answer, and not while another runs', async () => {
    const { session, messages } = setup([{ text: 'A.' }, { text: 'B.' }]);
    await session.send(messages, 'one');
    await session.send(messages, 'two');
    expect(await session.regenerate(messages, answerAt(messages, 1).id)).toBeNull();
    expect(versionCount(answerAt(messages, 1))).toBe(1);
  });
});

describe('history uses the selected version only', () => {
  it('the next prompt carries the version shown, whichever it is', async () => {
    const { engine, session, messages } = setup([
      { text: 'First answer.' },
      { text: 'Second answer.' },
      { text: 'ok' },
      { text: 'ok' },
    ]);
    await session.send(messages, 'Say something');
    const answer = answerAt(messages, 1);
    await session.regenerate(messages, answer.id);
    await session.send(messages, 'And then?');
    const withSecond = promptOf(engine.requests[2]);
    expect(withSecond).toContain('Second answer.');
    expect(withSecond).not.toContain('First answer.');

    selectVersion(answer, 0);
    expect(historyTurns(messages).map((t) => t.content)).toEqual(['Say something', 'First answer.', 'And then?', 'ok']);
    await session.send(messages, 'Once more');
    const withFirst = promptOf(engine.requests[3]);
    expect(withFirst).toContain('First answer.');
    expect(withFirst).not.toContain('Second answer.');
  });
});

describe('Continue', () => {
  it('writes on from the text Stop left, in the same answer, with the cut text ending the prompt', async () => {
    const { engine, session, messages } = setup([
      { text: 'The capital of France is Paris, a city on the Seine.', stopAt: 'is Par' },
      { text: ' on the Seine.' },
    ]);
    await session.send(messages, 'Capital of France?');
    const answer = answerAt(messages, 1);
    expect(answer.status).toBe('stopped');
    const cut = answer.steps.at(-1)?.text ?? '';
    expect(cut.length).toBeGreaterThan(0);
    expect(session.canContinue(messages, answer)).toBe(true);

    await session.continueAnswer(messages, answer.id);
    expect(messages).toHaveLength(2);
    expect(answer.status).toBe('done');
    expect(answerText(answer)).toBe(`${cut} on the Seine.`);
    expect(answer.steps).toHaveLength(1);
    const prompt = promptOf(engine.requests[1]);
    expect(prompt.endsWith(cut)).toBe(true);
    expect(prompt.startsWith(promptOf(engine.requests[0]))).toBe(true);
    // The history holds the answer once, whole.
    expect(historyTurns(messages).at(-1)).toEqual({ role: 'assistant', content: `${cut} on the Seine.` });
    expect(session.canContinue(messages, answer)).toBe(false);
  });

  it('continues an answer the token limit cut', async () => {
    const { session, messages } = setup([{ text: 'One, two,', finishReason: 'length' }, { text: ' three.' }]);
    await session.send(messages, 'Count');
    const answer = answerAt(messages, 1);
    expect(session.canContinue(messages, answer)).toBe(true);
    await session.continueAnswer(messages, answer.id);
    expect(answerText(answer)).toBe('One, two, three.');
    expect(answer.turns).toEqual([{ role: 'assistant', content: 'One, two, three.' }]);
  });

  it('is not offered for a finished answer, nor for a chat-API format', async () => {
    const done = setup([{ text: 'Complete.' }]);
    await done.session.send(done.messages, 'hi');
    expect(done.session.canContinue(done.messages, answerAt(done.messages, 1))).toBe(false);

    const chat = setup([{ text: 'Long answer here', stopAt: 'Long' }], 'hermes');
    await chat.session.send(chat.messages, 'hi');
    const stopped = answerAt(chat.messages, 1);
    expect(stopped.status).toBe('stopped');
    expect(chat.session.canContinue(chat.messages, stopped)).toBe(false);
    expect(await chat.session.continueAnswer(chat.messages, stopped.id)).toBeNull();
  });
});

describe('Edit and resend', () => {
  it('replaces the user message and drops everything after it', async () => {
    const { engine, session, messages } = setup([{ text: 'A1' }, { text: 'A2' }, { text: 'B1' }]);
    await session.send(messages, 'first');
    await session.send(messages, 'second');
    const first = messages[0];
    if (!first) throw new Error('no message');
    await session.editAndResend(messages, first.id, 'first, edited');
    expect(messages.map((m) => (m.role === 'user' ? m.content : answerText(m)))).toEqual(['first, edited', 'B1']);
    const prompt = promptOf(engine.requests[2]);
    expect(prompt).toContain('first, edited');
    expect(prompt).not.toContain('second');
    expect(prompt).not.toContain('A1');
  });

  it('changes nothing when the edited text cannot be sent', async () => {
    const { session, messages } = setup([{ text: 'A1' }]);
    await session.send(messages, 'first');
    const first = messages[0];
    if (!first) throw new Error('no message');
    expect(await session.editAndResend(messages, first.id, '   ')).toBeNull();
    expect(messages).toHaveLength(2);
  });
});

describe('functions switched off for a conversation', () => {
  it('are not in its prompt', async () => {
    const { engine, session, messages } = setup([{ text: 'ok' }, { text: 'ok' }]);
    const options: SendOptions = { exclude: ['get_weather'] };
    await session.send(messages, 'hi', options);
    await session.send(messages, 'hi again');
    expect(promptOf(engine.requests[0])).toContain('calculate');
    expect(promptOf(engine.requests[0])).not.toContain('get_weather');
    expect(promptOf(engine.requests[1])).toContain('get_weather');
  });
});

describe('stored answers from before versions existed', () => {
  it('read back with no other versions', () => {
    const old = { id: 'a', role: 'assistant', createdAt: 1, status: 'done', steps: [], turns: [] };
    const [m] = reviveMessages([old as unknown as Message]);
    expect(m).toMatchObject({ versions: [], version: 0 });
  });
});
