/**
 * The one shape check of a stored conversation record (storedConversation.ts), used by both of its
 * readers: the store, which keeps a record that fails as "damaged", and Import
 * (importConversation.ts), which refuses a file that fails and stores nothing. It checks what the
 * views and the inspector rely on — the conversation's fields, every message, an answer's steps,
 * turns, calls and versions — and names the first problem by its path in the record
 * (`messages[3].steps[0].text must be text`), so a refusal can say where the file is broken.
 *
 * The rest of the nested data (stats, previews, results) is the chat core's own types and is shown as
 * stored.
 */

/** The first problem found in a record: where (`messages[0].content`) and what is wrong there. */
export class RecordShapeError extends Error {
  override readonly name = 'RecordShapeError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}.`);
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, problem: string): never {
  throw new RecordShapeError(path, problem);
}

const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

function object(v: unknown, path: string): Json {
  if (!isObject(v)) fail(path, 'must be an object');
  return v;
}
function text(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(at(path, key), 'must be text');
  return v;
}
function number(o: Json, key: string, path: string): void {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(at(path, key), 'must be a number');
}
function list(o: Json, key: string, path: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(at(path, key), 'must be a list');
  return v;
}
function optionalText(o: Json, key: string, path: string): void {
  if (o[key] !== undefined) text(o, key, path);
}

const STATUSES = new Set(['streaming', 'done', 'stopped', 'error']);
const TURN_ROLES = new Set(['user', 'assistant', 'tool']);

/**
 * Checks a record of schema `version` (1: each step's request whole; 2: the first whole, later ones as
 * what they add, storedRequest.ts).
 * @throws RecordShapeError naming the first problem
 */
export function checkRecordShape(raw: unknown, version: number): void {
  const c = object(raw, 'the record');
  text(c, 'id', '');
  text(c, 'title', '');
  number(c, 'createdAt', '');
  number(c, 'updatedAt', '');
  text(c, 'system', '');
  checkToolChoice(c.toolChoice);
  if (c.thinking !== undefined && typeof c.thinking !== 'boolean') fail('thinking', 'must be true or false');
  if (c.functionsOff !== undefined && !list(c, 'functionsOff', '').every((n) => typeof n === 'string'))
    fail('functionsOff', 'must be a list of names');
  optionalText(c, 'modelId', '');
  optionalText(c, 'formatId', '');
  const messages = list(c, 'messages', '');
  messages.forEach((m, i) => {
    checkMessage(m, `messages[${i.toString()}]`, version);
  });
  const ids = new Set(messages.map((m) => (m as Json).id));
  if (ids.size !== messages.length) fail('messages', 'has two messages with the same id');
}

function checkToolChoice(v: unknown): void {
  if (v === 'auto' || v === 'required' || v === 'none') return;
  if (isObject(v) && typeof v.function === 'string') return;
  fail('toolChoice', 'must be "auto", "required", "none" or {"function": name}');
}

function checkMessage(v: unknown, path: string, version: number): void {
  const m = object(v, path);
  text(m, 'id', path);
  number(m, 'createdAt', path);
  if (m.role === 'user') {
    text(m, 'content', path);
    return;
  }
  if (m.role !== 'assistant') fail(at(path, 'role'), 'must be "user" or "assistant"');
  checkAnswer(m, path, version);
  if (m.versions !== undefined) {
    list(m, 'versions', path).forEach((x, i) => {
      const vp = `${path}.versions[${i.toString()}]`;
      checkAnswer(object(x, vp), vp, version);
    });
  }
}

function checkAnswer(o: Json, path: string, version: number): void {
  if (!STATUSES.has(String(o.status))) fail(at(path, 'status'), 'must be done, stopped, error or streaming');
  list(o, 'turns', path).forEach((t, i) => {
    const tp = `${path}.turns[${i.toString()}]`;
    const turn = object(t, tp);
    if (!TURN_ROLES.has(String(turn.role))) fail(at(tp, 'role'), 'must be user, assistant or tool');
    text(turn, 'content', tp);
  });
  list(o, 'steps', path).forEach((s, i) => {
    checkStep(s, `${path}.steps[${i.toString()}]`, version);
  });
  optionalText(o, 'modelId', path);
  optionalText(o, 'formatId', path);
}

function checkStep(s: unknown, path: string, version: number): void {
  const step = object(s, path);
  number(step, 'step', path);
  text(step, 'text', path);
  text(step, 'formatId', path);
  checkStoredRequest(object(step.request, at(path, 'request')), at(path, 'request'), version);
  list(step, 'calls', path).forEach((c, j) => {
    const cp = `${path}.calls[${j.toString()}]`;
    text(object(object(c, cp).call, at(cp, 'call')), 'name', at(cp, 'call'));
  });
  if (step.parsed !== undefined) {
    const pp = at(path, 'parsed');
    const parsed = object(step.parsed, pp);
    text(parsed, 'text', pp);
    list(parsed, 'calls', pp);
    list(parsed, 'errors', pp);
  }
}

/** Version 1 stored each request whole; version 2 the first whole, the others as what they add. */
function checkStoredRequest(r: Json, path: string, version: number): void {
  if (version === 1) {
    checkRequest(r, path);
  } else if ('whole' in r) {
    checkRequest(object(r.whole, at(path, 'whole')), at(path, 'whole'));
  } else {
    number(object(r.delta, at(path, 'delta')), 'keep', at(path, 'delta'));
  }
}

function checkRequest(r: Json, path: string): void {
  if (r.api === 'completion') text(r, 'prompt', path);
  else if (r.api === 'chat') list(r, 'messages', path);
  else fail(at(path, 'api'), 'must be "completion" or "chat"');
}
