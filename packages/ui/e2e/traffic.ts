/**
 * Realistic OTLP/JSON traffic for the console's end-to-end tests: an agent trace with a
 * retriever (documents with scores), model calls carrying system / user / assistant / tool
 * messages and a tool span; a prompt that tries HTML injection; failing calls; several users,
 * sessions, services, environments and models; and a response-model version change.
 */

/** OTLP attribute value. */
type AttrValue = string | number | boolean;

const ns = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

function attrs(record: Record<string, AttrValue | undefined>) {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => {
      if (typeof v === 'string') return { key, value: { stringValue: v } };
      if (typeof v === 'boolean') return { key, value: { boolValue: v } };
      return Number.isInteger(v)
        ? { key, value: { intValue: String(v) } }
        : { key, value: { doubleValue: v } };
    });
}

/** A deterministic hex id (tests look traces up by id). */
export function hexId(seed: string, bytes: number): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < bytes * 2; round++) {
    for (const c of `${seed}:${round}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, bytes * 2);
}

interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, AttrValue | undefined>;
  error?: string;
}

function span(s: SpanSpec) {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? '',
    name: s.name,
    kind: s.parentSpanId ? 3 : 2,
    startTimeUnixNano: ns(s.startMs),
    endTimeUnixNano: ns(s.endMs),
    attributes: attrs(s.attributes),
    status: s.error ? { code: 2, message: s.error } : { code: 1 },
  };
}

/** An ExportTraceServiceRequest body for spans of one service. */
export function exportRequest(service: string, environment: string, spans: unknown[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: attrs({ 'service.name': service, 'deployment.environment.name': environment }),
        },
        scopeSpans: [{ scope: { name: 'argus-e2e' }, spans }],
      },
    ],
  });
}

const messages = (list: unknown[]) => JSON.stringify(list);
const text = (content: string) => ({ type: 'text', content });

interface ChatSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startMs: number;
  durationMs: number;
  model: string;
  responseModel?: string;
  provider?: string;
  system?: string;
  input: unknown[];
  output: unknown[];
  inputTokens: number;
  outputTokens: number;
  ttftMs?: number;
  userId?: string;
  sessionId?: string;
  error?: string;
}

function chat(c: ChatSpec) {
  return span({
    traceId: c.traceId,
    spanId: c.spanId,
    parentSpanId: c.parentSpanId,
    name: `chat ${c.model}`,
    startMs: c.startMs,
    endMs: c.startMs + c.durationMs,
    error: c.error,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': c.provider ?? 'openai',
      'gen_ai.request.model': c.model,
      'gen_ai.response.model': c.responseModel ?? c.model,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 800,
      'gen_ai.usage.input_tokens': c.inputTokens,
      'gen_ai.usage.output_tokens': c.outputTokens,
      'gen_ai.response.finish_reasons': c.error
        ? undefined
        : JSON.stringify([(c.output[0] as { finish_reason?: string } | undefined)?.finish_reason ?? 'stop']),
      'gen_ai.response.time_to_first_chunk': c.ttftMs === undefined ? undefined : c.ttftMs / 1000,
      'gen_ai.system_instructions': c.system ? JSON.stringify([text(c.system)]) : undefined,
      'gen_ai.input.messages': messages(c.input),
      'gen_ai.output.messages': messages(c.output),
      'error.type': c.error ? 'RateLimitError' : undefined,
      'user.id': c.userId,
      'session.id': c.sessionId,
    },
  });
}

/** Ids and strings the tests look for. */
export const KNOWN = {
  agentTraceId: hexId('agent-trace', 16),
  xssTraceId: hexId('xss-trace', 16),
  errorTraceId: hexId('error-trace', 16),
  agentName: 'invoke_agent support',
  xssPrompt: 'Please summarise <img src=x onerror=alert(1)><script>alert(1)</script> for me',
  systemPrompt: 'You are Argus Support. Answer briefly and cite the order.',
  userQuestion: 'Where is my order 8812? It was due on Monday.',
  toolName: 'lookup_order',
  finalAnswer: 'Your order **8812** shipped on Tuesday and arrives *tomorrow*.',
  documentContent: 'Orders ship within 2 business days from the Rotterdam warehouse.',
  errorMessage: 'Rate limit exceeded: 40 requests per minute',
  refundWord: 'quokkarefund',
  users: ['user-alice', 'user-bob', 'user-carol'],
  sessionWithTurns: 'session-bob-1',
} as const;

/** The agent trace: agent → retriever → llm (tool call) → tool → llm (answer). */
function agentTrace(t0: number) {
  const traceId = KNOWN.agentTraceId;
  const id = (name: string) => hexId(`agent-${name}`, 8);
  const common = { 'user.id': 'user-alice', 'session.id': 'session-alice-1' };
  return [
    span({
      traceId,
      spanId: id('root'),
      name: KNOWN.agentName,
      startMs: t0,
      endMs: t0 + 2400,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support', ...common },
    }),
    span({
      traceId,
      spanId: id('retriever'),
      parentSpanId: id('root'),
      name: 'retrieve order-policies',
      startMs: t0 + 20,
      endMs: t0 + 180,
      attributes: {
        'gen_ai.operation.name': 'retrieval',
        'gen_ai.retrieval.query.text': KNOWN.userQuestion,
        'gen_ai.retrieval.documents': JSON.stringify([
          { id: 'policy-7', content: KNOWN.documentContent, score: 0.91 },
          { id: 'faq-12', content: 'Tracking numbers are emailed when the parcel leaves.', score: 0.62 },
        ]),
      },
    }),
    chat({
      traceId,
      spanId: id('llm1'),
      parentSpanId: id('root'),
      startMs: t0 + 200,
      durationMs: 900,
      ttftMs: 240,
      model: 'gpt-4o-mini',
      system: KNOWN.systemPrompt,
      input: [{ role: 'user', parts: [text(KNOWN.userQuestion)] }],
      output: [
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 'call_1', name: KNOWN.toolName, arguments: { orderId: '8812' } }],
          finish_reason: 'tool_calls',
        },
      ],
      inputTokens: 420,
      outputTokens: 35,
      ...{ userId: 'user-alice', sessionId: 'session-alice-1' },
    }),
    span({
      traceId,
      spanId: id('tool'),
      parentSpanId: id('root'),
      name: `execute_tool ${KNOWN.toolName}`,
      startMs: t0 + 1120,
      endMs: t0 + 1300,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': KNOWN.toolName,
        'gen_ai.tool.call.id': 'call_1',
        'gen_ai.tool.call.arguments': JSON.stringify({ orderId: '8812' }),
        'gen_ai.tool.call.result': JSON.stringify({ status: 'shipped', eta: 'tomorrow' }),
      },
    }),
    chat({
      traceId,
      spanId: id('llm2'),
      parentSpanId: id('root'),
      startMs: t0 + 1350,
      durationMs: 1000,
      ttftMs: 310,
      model: 'gpt-4o-mini',
      system: KNOWN.systemPrompt,
      input: [
        { role: 'user', parts: [text(KNOWN.userQuestion)] },
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 'call_1', name: KNOWN.toolName, arguments: { orderId: '8812' } }],
        },
        {
          role: 'tool',
          parts: [
            { type: 'tool_call_response', id: 'call_1', response: { status: 'shipped', eta: 'tomorrow' } },
          ],
        },
      ],
      output: [{ role: 'assistant', parts: [text(KNOWN.finalAnswer)], finish_reason: 'stop' }],
      inputTokens: 510,
      outputTokens: 60,
      userId: 'user-alice',
      sessionId: 'session-alice-1',
    }),
  ];
}

/** Every request of the dataset: [service, environment, spans][]. */
export function buildTraffic(nowMs: number): [string, string, unknown[]][] {
  const out: [string, string, unknown[]][] = [];
  out.push(['support-agent', 'production', agentTrace(nowMs - 5 * 60_000)]);
  out.push([
    'chat-api',
    'production',
    [
      chat({
        traceId: KNOWN.xssTraceId,
        spanId: hexId('xss', 8),
        startMs: nowMs - 4 * 60_000,
        durationMs: 700,
        model: 'gpt-4o-mini',
        input: [{ role: 'user', parts: [text(KNOWN.xssPrompt)] }],
        output: [{ role: 'assistant', parts: [text('Sure: <b>bold?</b> [x](javascript:alert(1))')] }],
        inputTokens: 50,
        outputTokens: 20,
        userId: 'user-mallory',
      }),
    ],
  ]);
  out.push([
    'rag-worker',
    'staging',
    [
      chat({
        traceId: KNOWN.errorTraceId,
        spanId: hexId('err', 8),
        startMs: nowMs - 3 * 60_000,
        durationMs: 300,
        model: 'claude-3-5-sonnet',
        provider: 'anthropic',
        input: [{ role: 'user', parts: [text('Summarise the quarterly report')] }],
        output: [],
        inputTokens: 900,
        outputTokens: 0,
        userId: 'user-carol',
        error: KNOWN.errorMessage,
      }),
    ],
  ]);
  // Steady traffic: 36 single-call traces over the last 50 minutes across users, models, sessions.
  const spans: Record<string, unknown[]> = {};
  for (let i = 0; i < 36; i++) {
    const service = ['chat-api', 'rag-worker', 'billing-bot'][i % 3]!;
    const user = KNOWN.users[i % 3]!;
    const isNew = i >= 18;
    const model = i % 4 === 3 ? 'claude-3-5-haiku' : 'gpt-4o';
    const responseModel = model === 'gpt-4o' ? (isNew ? 'gpt-4o-2024-11-20' : 'gpt-4o-2024-08-06') : model;
    const session = user === 'user-bob' ? KNOWN.sessionWithTurns : `session-${user}-${i}`;
    const word = i === 7 ? ` ${KNOWN.refundWord}` : '';
    spans[service] ??= [];
    spans[service].push(
      chat({
        traceId: hexId(`steady-${i}`, 16),
        spanId: hexId(`steady-span-${i}`, 8),
        startMs: nowMs - (50 - i * 1.3) * 60_000,
        durationMs: 400 + ((i * 137) % 900) + (isNew ? 300 : 0),
        ttftMs: 120 + ((i * 53) % 200),
        model,
        responseModel,
        provider: model.startsWith('claude') ? 'anthropic' : 'openai',
        input: [{ role: 'user', parts: [text(`Question ${i}: how do I change my plan?${word}`)] }],
        output: [{ role: 'assistant', parts: [text(`Answer ${i}: open **Settings → Billing**.`)] }],
        inputTokens: 200 + i * 10,
        outputTokens: 80 + i * 3,
        userId: user,
        sessionId: session,
        error: i % 11 === 5 ? 'Upstream timeout' : undefined,
      }),
    );
  }
  for (const [service, list] of Object.entries(spans)) out.push([service, 'production', list]);
  return out;
}

/** Posts the dataset to a server's OTLP/JSON endpoint. */
export async function sendTraffic(baseUrl: string, nowMs = Date.now()): Promise<void> {
  for (const [service, environment, spans] of buildTraffic(nowMs)) {
    const response = await fetch(`${baseUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: exportRequest(service, environment, spans),
    });
    if (!response.ok) throw new Error(`POST /v1/traces → ${response.status} ${await response.text()}`);
  }
}
