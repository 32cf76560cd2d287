/**
 * Failures of a model server, each worded for the person chatting: the message says what happened
 * and what to do, because the chat shows an engine error's message as it is (errorWording.ts has no
 * case for these, and needs none). `data.reason` tells them apart for the UI and the tests:
 * - 'unreachable': no HTTP answer at all: the server is not running, the address is wrong, or it
 *   does not send CORS headers for this page (the browser hides which, on purpose);
 * - 'loading': HTTP 503, the server is up but its model is still loading;
 * - 'refused': any other HTTP error, or an error event in the stream, with the server's own words;
 * - 'dropped': the stream ended without its final event (the server stopped or the connection broke).
 * Never crosses the worker boundary (servers are fetched from the page), so it needs no wire entry.
 */
import { EngineError } from '../errors.ts';

export type ServerFailure = 'unreachable' | 'loading' | 'refused' | 'dropped';

export class ServerError extends EngineError {
  override name = 'ServerError';
}

/** The CORS switch of each server, for the "could not reach" advice. */
const CORS_ADVICE =
  'llama-server answers any page by default (unless started with --cors-origins); TGI needs --cors-allow-origin; vLLM needs --allowed-origins; Ollama needs OLLAMA_ORIGINS; LM Studio has “Enable CORS”.';

export function unreachable(url: string, cause: unknown): ServerError {
  return new ServerError(
    `Callama could not reach the server at ${url}: it is not running, the address is wrong, or it does not allow requests from this page (CORS). Start it, check the address, and allow this page's origin — ${CORS_ADVICE}`,
    { reason: 'unreachable', url },
    { cause },
  );
}

export function httpFailure(url: string, status: number, serverMessage: string | undefined): ServerError {
  const said = serverMessage ? ` The server said: “${serverMessage}”` : '';
  if (status === 503) {
    return new ServerError(
      `The server at ${url} is still loading its model (HTTP 503); try again in a moment.${said}`,
      { reason: 'loading', url, status },
    );
  }
  const advice =
    status === 401 || status === 403
      ? ' Check the API key saved with this server model.'
      : status === 404
        ? ' Check the address and the kind of server (llama.cpp, TGI or OpenAI-compatible).'
        : '';
  return new ServerError(`The server refused the request (HTTP ${status}).${said}${advice}`, {
    reason: 'refused',
    url,
    status,
    ...(serverMessage !== undefined ? { serverMessage } : {}),
  });
}

export function streamError(url: string, serverMessage: string): ServerError {
  return new ServerError(`The server stopped the answer with an error: “${serverMessage}”`, {
    reason: 'refused',
    url,
    serverMessage,
  });
}

export function dropped(url: string, receivedChars: number): ServerError {
  return new ServerError(
    `The server's stream ended before its final message, after ${receivedChars} characters: the server stopped or the connection broke, so the answer is incomplete. Send the message again.`,
    { reason: 'dropped', url, receivedChars },
  );
}
