/**
 * The demo's `api-gateway`: the service users talk to. `POST /chat { message }` (headers
 * `x-user-id`, `x-session-id`) runs under `argusExpress()` with the session and user set, checks
 * the message (an observed guardrail), keeps the conversation history per session, and asks
 * rag-service over HTTP with `tracedFetch`, so one trace spans both services. `POST /feedback
 * { traceId, value, comment }` sends the user's thumbs up/down with `score()` (not traced: it
 * would add a one-span trace per vote). Runs in the demo's own process, after `init({
 * serviceName: 'api-gateway' })`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { argusExpress, observe, score, tracedFetch, withSession, withUser } from '@argus/sdk';
import { trace } from '@opentelemetry/api';
import { PROVIDER_STATUS_HEADER } from './corpus.ts';

/** A running gateway. */
export interface Gateway {
  url: string;
  close(): Promise<void>;
}

/** What `POST /chat` answers: the answer or an error, and the trace id either way. */
export interface ChatReply {
  answer?: string;
  error?: string;
  traceId?: string;
}

type Turn = { role: 'user' | 'assistant'; content: string };

const MAX_MESSAGE_CHARS = 2000;
const MAX_HISTORY_MESSAGES = 10;
const MAX_SESSIONS = 1000;

/** An error with the HTTP status to answer. */
class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'The body must be a JSON object');
}

/** The input guardrail: refuses empty and over-long messages. */
function checkMessage(message: string): { allowed: boolean; reason?: string } {
  if (message.trim() === '') return { allowed: false, reason: 'empty message' };
  if (message.length > MAX_MESSAGE_CHARS) return { allowed: false, reason: 'message too long' };
  return { allowed: true };
}

/** What one chat turn needs: the rag-service URL and the histories kept per session. */
interface ChatState {
  ragUrl: string;
  histories: Map<string, Turn[]>;
}

/** One user message of a session, with the provider status the caller asked the mock to answer. */
interface TurnRequest {
  message: string;
  sessionId: string;
  userId: string;
  providerStatus: string | undefined;
}

/**
 * One chat turn, traced as a workflow: the input guardrail, the question (with the session's
 * history) to rag-service over `tracedFetch`, and the answered turn kept in the history.
 */
function chatTurn(state: ChatState, turn: TurnRequest): Promise<string> {
  const { message, sessionId, userId, providerStatus } = turn;
  return observe(
    'chat-turn',
    async () => {
      const verdict = observe('input-guardrail', () => checkMessage(message), {
        kind: 'guardrail',
        input: message,
      });
      if (!verdict.allowed) throw new HttpError(400, `Message refused: ${verdict.reason}`);
      const history = state.histories.get(sessionId) ?? [];
      const reply = await tracedFetch(`${state.ragUrl}/answer`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-session-id': sessionId,
          'x-user-id': userId,
          ...(providerStatus === undefined ? {} : { [PROVIDER_STATUS_HEADER]: providerStatus }),
        },
        body: JSON.stringify({ question: message, history }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await reply.json()) as { answer?: string; error?: string };
      if (!reply.ok)
        throw new HttpError(
          reply.status === 503 ? 503 : 502,
          body.error ?? `rag-service answered ${reply.status}`,
        );
      // Only answered turns join the history (a failed one would fail every later turn).
      const answer = body.answer ?? '';
      remember(state.histories, sessionId, [
        ...history,
        { role: 'user' as const, content: message },
        { role: 'assistant' as const, content: answer },
      ]);
      return answer;
    },
    { kind: 'workflow', input: message },
  );
}

/** Keeps a session's latest turns (most recent session last; the oldest goes past the bound). */
function remember(histories: Map<string, Turn[]>, sessionId: string, turns: Turn[]): void {
  histories.delete(sessionId);
  histories.set(sessionId, turns.slice(-MAX_HISTORY_MESSAGES));
  if (histories.size > MAX_SESSIONS) histories.delete(histories.keys().next().value as string);
}

/** `POST /feedback`: the user's thumbs up/down as a score of the trace. */
async function feedback(req: IncomingMessage, send: (status: number, body: unknown) => void): Promise<void> {
  const body = await readJson(req);
  const result = await score({
    traceId: String(body.traceId ?? ''),
    name: 'user-feedback',
    value: Number(body.value),
    comment: typeof body.comment === 'string' ? body.comment : undefined,
    source: 'user',
  });
  send(result.ok ? 201 : 502, result);
}

/** Starts the gateway on a free loopback port, forwarding to rag-service at `ragUrl`. */
export async function startGateway(options: { ragUrl: string }): Promise<Gateway> {
  const state: ChatState = { ragUrl: options.ragUrl, histories: new Map() };

  async function chat(req: IncomingMessage, send: (status: number, body: ChatReply) => void): Promise<void> {
    Object.assign(req, { route: { path: '/chat' } });
    const sessionId = String(req.headers['x-session-id'] ?? 'anonymous');
    const userId = String(req.headers['x-user-id'] ?? 'anonymous');
    await withSession(sessionId, () =>
      withUser(userId, async () => {
        // The SERVER span argusExpress() started is active here; its trace id goes back to the user.
        const traceId = trace.getActiveSpan()?.spanContext().traceId;
        try {
          const body = await readJson(req);
          const status = req.headers[PROVIDER_STATUS_HEADER];
          const answer = await chatTurn(state, {
            message: String(body.message ?? ''),
            sessionId,
            userId,
            providerStatus: typeof status === 'string' ? status : undefined,
          });
          send(200, { answer, traceId });
        } catch (error) {
          send(error instanceof HttpError ? error.status : 500, { error: (error as Error).message, traceId });
        }
      }),
    );
  }

  const middleware = argusExpress();
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      if (!res.headersSent)
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    try {
      if (req.method === 'POST' && req.url === '/chat') middleware(req, res, () => void chat(req, send));
      else if (req.method === 'POST' && req.url === '/feedback') await feedback(req, send);
      else send(404, { error: 'Not found' });
    } catch (error) {
      send(error instanceof HttpError ? error.status : 500, { error: (error as Error).message });
    }
  }

  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
