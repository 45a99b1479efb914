/**
 * The demo's `rag-service`: `POST /answer { question, history }` retrieves articles (an
 * observed retriever over embeddings from the LLM's `/v1/embeddings`), then runs a small agent
 * loop of streaming chat completions through a wrapped `openai` client, calling the observed
 * `get_order_status` tool when the model asks for it. Runs in its own process (see
 * rag-service-main.ts), which has called `init({ serviceName: 'rag-service' })`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { argusExpress, observe, withContext, wrapOpenAI } from '@argus/sdk';
import OpenAI from 'openai';
import { ARTICLES, ORDERS, PROVIDER_STATUS_HEADER } from './corpus.ts';
import { type IndexedArticle, normalizeQuery, type RetrievedDocument, rank } from './vector-index.ts';

type Message = OpenAI.Chat.ChatCompletionMessageParam;
type ToolCall = { id: string; name: string; arguments: string };

/** Settings of {@link startRagService}. */
export interface RagServiceOptions {
  /** Mock LLM base URL without `/v1`. */
  llmUrl: string;
  /** Chat model (default `gpt-4o-mini`). */
  model?: string;
}

/** A running rag-service. */
export interface RagService {
  url: string;
  close(): Promise<void>;
}

const EMBEDDING_MODEL = 'text-embedding-3-small';
const DIMENSIONS = 64;
const MAX_TOOL_ROUNDS = 3;

const TOOLS: OpenAI.Chat.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_order_status',
      description: "Looks up an order's shipping status by its id.",
      parameters: {
        type: 'object',
        properties: { order_id: { type: 'string', description: 'The order id, e.g. Vega' } },
        required: ['order_id'],
      },
    },
  },
];

/** An error with the HTTP status to answer. */
class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The `get_order_status` tool: a lookup with a little latency; unknown orders throw. */
async function getOrderStatus(orderId: string): Promise<Record<string, string>> {
  await sleep(15);
  const order = ORDERS[orderId];
  if (order === undefined) throw new Error(`Order '${orderId}' was not found`);
  return { order_id: orderId, ...order };
}

/** A `POST /answer` request: the question, the history, who asks and the provider status asked for. */
async function readAnswerRequest(req: IncomingMessage): Promise<{
  question: string;
  history: Message[];
  who: { sessionId: string | undefined; userId: string | undefined };
  providerStatus: string | undefined;
}> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    question?: unknown;
    history?: unknown;
  };
  if (typeof body.question !== 'string' || body.question === '')
    throw new HttpError(400, 'question is required');
  const history = Array.isArray(body.history) ? (body.history as Message[]) : [];
  // The gateway forwards who is asking, so this service's spans carry session and user too.
  const sessionId = req.headers['x-session-id'];
  const userId = req.headers['x-user-id'];
  const who = {
    sessionId: typeof sessionId === 'string' ? sessionId : undefined,
    userId: typeof userId === 'string' ? userId : undefined,
  };
  const status = req.headers[PROVIDER_STATUS_HEADER];
  const providerStatus = typeof status === 'string' && /^\d{3}$/.test(status) ? status : undefined;
  return { question: body.question, history, who, providerStatus };
}

/** The instrumented client and the chat model. */
interface Llm {
  openai: OpenAI;
  model: string;
}

/**
 * One streamed completion: the text and the tool calls it asked for. `providerStatus` asks the
 * mock LLM to answer with that HTTP status (its `x-mock-fail` header): the demo's rate limit.
 */
async function streamTurn(
  llm: Llm,
  messages: Message[],
  providerStatus: string | undefined,
): Promise<{ text: string; toolCalls: ToolCall[] }> {
  const { openai, model } = llm;
  const stream = await openai.chat.completions.create(
    {
      model,
      messages,
      tools: TOOLS,
      temperature: 0.2,
      stream: true,
      stream_options: { include_usage: true },
    },
    providerStatus === undefined ? {} : { headers: { 'x-mock-fail': providerStatus } },
  );
  let text = '';
  const calls = new Map<number, ToolCall>();
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (delta?.content) text += delta.content;
    for (const part of delta?.tool_calls ?? []) {
      const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
      call.id ||= part.id ?? '';
      call.name += part.function?.name ?? '';
      call.arguments += part.function?.arguments ?? '';
      calls.set(part.index, call);
    }
  }
  return { text, toolCalls: [...calls.values()] };
}

/** Runs a tool call; its failure becomes the tool's answer, so the model can apologise. */
async function runTool(call: ToolCall): Promise<string> {
  try {
    const args = JSON.parse(call.arguments || '{}') as { order_id?: unknown };
    const result = await observe('get_order_status', () => getOrderStatus(String(args.order_id ?? '')), {
      kind: 'tool',
      input: args,
      attributes: { 'gen_ai.tool.call.id': call.id },
    });
    return JSON.stringify(result);
  } catch (error) {
    return JSON.stringify({ error: (error as Error).message });
  }
}

/** Starts rag-service on a free loopback port. */
export async function startRagService(options: RagServiceOptions): Promise<RagService> {
  const model = options.model ?? 'gpt-4o-mini';
  // Retries off: a 429 from the provider should show as one failed call, not three.
  const openai = wrapOpenAI(new OpenAI({ baseURL: `${options.llmUrl}/v1`, apiKey: 'demo', maxRetries: 0 }));
  const llm: Llm = { openai, model };

  const index: IndexedArticle[] = await observe(
    'index-knowledge-base',
    async () => {
      const texts = ARTICLES.map((a) => normalizeQuery(`${a.title}. ${a.text}`));
      const res = await openai.embeddings.create({
        model: EMBEDDING_MODEL,
        input: texts,
        dimensions: DIMENSIONS,
      });
      return ARTICLES.map((a, i) => ({ ...a, embedding: res.data[i]?.embedding ?? [] }));
    },
    { kind: 'workflow', captureOutput: false, input: `${ARTICLES.length} articles` },
  );

  const retrieve = (question: string): Promise<RetrievedDocument[]> =>
    observe(
      'search-knowledge-base',
      async () => {
        const query = normalizeQuery(question);
        const res = await openai.embeddings.create({
          model: EMBEDDING_MODEL,
          input: query,
          dimensions: DIMENSIONS,
        });
        return rank(query, res.data[0]?.embedding ?? [], index, 3);
      },
      { kind: 'retriever', input: question },
    );

  const answer = (question: string, history: Message[], providerStatus: string | undefined) =>
    observe(
      'support-agent',
      async () => {
        const docs = await retrieve(question);
        const context = docs.map((d) => `[${d.id}] ${d.content}`).join('\n');
        const messages: Message[] = [
          {
            role: 'system',
            content: `You are the support assistant of an outdoor-gear shop. Answer from these articles:\n${context}`,
          },
          ...history,
          { role: 'user', content: question },
        ];
        for (let round = 0; round < MAX_TOOL_ROUNDS; round++) {
          const turn = await streamTurn(llm, messages, providerStatus);
          if (turn.toolCalls.length === 0) return { answer: turn.text, documents: docs.map((d) => d.id) };
          messages.push({
            role: 'assistant',
            content: turn.text || null,
            tool_calls: turn.toolCalls.map((c) => ({
              id: c.id,
              type: 'function' as const,
              function: { name: c.name, arguments: c.arguments },
            })),
          });
          for (const call of turn.toolCalls)
            messages.push({ role: 'tool', tool_call_id: call.id, content: await runTool(call) });
        }
        throw new HttpError(500, `No answer after ${MAX_TOOL_ROUNDS} tool rounds`);
      },
      { kind: 'agent', input: question },
    );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    try {
      if (req.method !== 'POST' || req.url !== '/answer') throw new HttpError(404, 'Not found');
      Object.assign(req, { route: { path: '/answer' } });
      const { question, history, who, providerStatus } = await readAnswerRequest(req);
      const result = await withContext(who, () => answer(question, history, providerStatus));
      send(200, result);
    } catch (error) {
      if (error instanceof HttpError) send(error.status, { error: error.message });
      else if (error instanceof OpenAI.APIError && error.status === 429)
        send(503, { error: 'The LLM provider is rate limiting us; try again shortly' });
      else send(500, { error: `Cannot answer: ${(error as Error).message}` });
    }
  }

  const middleware = argusExpress();
  const server = http.createServer((req, res) => middleware(req, res, () => void handle(req, res)));
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
