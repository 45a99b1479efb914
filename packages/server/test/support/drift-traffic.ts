/**
 * Synthetic LLM traffic for drift tests and the drift benchmark: questions about a topic built
 * from templates and a topic's vocabulary (seeded, so runs repeat), as OTLP/JSON chat spans at
 * chosen times with chosen models and output lengths.
 */
import { seededRandom } from '../../src/quality/stats/random.ts';
import { randomHex } from './otlp-json.ts';

/** Vocabularies of a few topics. */
export const TOPICS = {
  cooking: [
    'recipe',
    'bake',
    'oven',
    'flour',
    'sauce',
    'garlic',
    'simmer',
    'pasta',
    'dough',
    'butter',
    'roast',
    'spices',
  ],
  travel: [
    'flight',
    'hotel',
    'passport',
    'airport',
    'visa',
    'luggage',
    'beach',
    'train',
    'museum',
    'booking',
    'itinerary',
    'ferry',
  ],
  billing: [
    'invoice',
    'refund',
    'charge',
    'subscription',
    'payment',
    'receipt',
    'billing',
    'card',
    'plan',
    'upgrade',
    'discount',
    'tax',
  ],
} as const;
export type Topic = keyof typeof TOPICS;

const TEMPLATES = [
  'How do I pick the right {a} for a {b}?',
  'What is the best way to handle {a} and {b} together?',
  'Can you explain {a} to me, I keep getting the {b} wrong',
  'Quick question about {a}: should the {b} come first?',
  'I need help with my {a}, the {b} is not working',
  'Give me three tips on {a} with {b}',
];

/** `n` questions about `topic` (or, for a list, each question from a topic picked at random). */
export function questions(topics: Topic | readonly Topic[], n: number, seed: number): string[] {
  const random = seededRandom(seed);
  const list: readonly Topic[] = typeof topics === 'string' ? [topics] : topics;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: n }, () => {
    const words = TOPICS[pick(list)];
    return pick(TEMPLATES).replace('{a}', pick(words)).replace('{b}', pick(words));
  });
}

const ns = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(Math.round(value)) } });

/** The SDK's `gen_ai.choice.logprobs` event of one choice with these token logprobs. */
function logprobsEvent(logprobs: number[], atMs: number) {
  const content = logprobs.map((logprob, i) => ({ token: `t${i}`, logprob, top_logprobs: [] }));
  return {
    name: 'gen_ai.choice.logprobs',
    timeUnixNano: ns(atMs),
    attributes: [int('gen_ai.choice.index', 0), str('logprobs.content', JSON.stringify(content))],
  };
}

/** Options of one synthetic chat span. */
export interface DriftSpanOptions {
  atMs: number;
  question: string;
  answer?: string;
  requestModel?: string;
  responseModel?: string;
  outputTokens?: number;
  durationMs?: number;
  /** Token logprobs of the answer, sent as a `gen_ai.choice.logprobs` event (the span gets a perplexity). */
  logprobs?: number[];
}

/** One chat span (OTLP/JSON) asking `question`. */
export function driftSpan(options: DriftSpanOptions) {
  const model = options.requestModel ?? 'gpt-4o-mini';
  const answer = options.answer ?? `Here is what I know: ${options.question.toLowerCase()}`;
  return {
    traceId: randomHex(16),
    spanId: randomHex(8),
    name: `chat ${model}`,
    kind: 3,
    startTimeUnixNano: ns(options.atMs),
    endTimeUnixNano: ns(options.atMs + (options.durationMs ?? 800)),
    attributes: [
      str('gen_ai.operation.name', 'chat'),
      str('gen_ai.provider.name', 'openai'),
      str('gen_ai.request.model', model),
      ...(options.responseModel ? [str('gen_ai.response.model', options.responseModel)] : []),
      int('gen_ai.usage.input_tokens', 20 + options.question.length / 4),
      int('gen_ai.usage.output_tokens', options.outputTokens ?? 60),
      str(
        'gen_ai.input.messages',
        JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: options.question }] }]),
      ),
      str(
        'gen_ai.output.messages',
        JSON.stringify([
          { role: 'assistant', parts: [{ type: 'text', content: answer }], finish_reason: 'stop' },
        ]),
      ),
    ],
    events: options.logprobs
      ? [logprobsEvent(options.logprobs, options.atMs + (options.durationMs ?? 800))]
      : [],
    status: { code: 1 },
  };
}

/** Posts spans as OTLP/JSON in batches of 200; throws unless every batch is taken. */
export async function postDriftSpans(baseUrl: string, service: string, spans: unknown[]): Promise<void> {
  for (let i = 0; i < spans.length; i += 200) {
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [str('service.name', service)] },
          scopeSpans: [{ scope: { name: 'drift-test' }, spans: spans.slice(i, i + 200) }],
        },
      ],
    });
    const response = await fetch(`${baseUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    if (!response.ok || text.includes('rejectedSpans'))
      throw new Error(`POST /v1/traces → ${response.status} ${text}`);
  }
}

/** Posts a chat span per question as `service`, spread evenly over `spreadMs` from `startMs`. */
export async function sendQuestions(
  baseUrl: string,
  service: string,
  texts: string[],
  options: { startMs: number; spreadMs: number } & Partial<DriftSpanOptions>,
): Promise<void> {
  const { startMs, spreadMs, ...extra } = options;
  const spans = texts.map((question, i) =>
    driftSpan({ ...extra, atMs: startMs + (i * spreadMs) / texts.length, question }),
  );
  await postDriftSpans(baseUrl, service, spans);
}
