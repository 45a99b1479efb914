/**
 * Confidence micro-benchmark: µs per span of `normalizeSpan` on a ~1.5 KB chat span without
 * logprobs and with the SDK's `gen_ai.choice.logprobs` event (110 tokens, 5 alternatives each,
 * ~13 KB of JSON), plus the span row serialization of each (the stored token list is written
 * too). Run it on a tree before the confidence step to compare spans without logprobs.
 *
 * Usage: node bench/confidence.bench.ts [spans=20000] [rounds=5]
 */

import { CTX, event, spanInput } from '../packages/server/src/normalize/builders.test-util.ts';
import { normalizeSpan } from '../packages/server/src/normalize/index.ts';
import { spanToRow } from '../packages/server/src/store/rows.ts';
import { sdkLogprobsAttributes } from './logprobs-payload.ts';

const count = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 5);
const WORDS =
  'the customer asked about the refund policy for annual plans and whether the invoice could be split'.split(
    ' ',
  );
const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => WORDS[(i * 7 + seed) % WORDS.length]).join(' ');

const logprobsEvent = (answer: string) => event('gen_ai.choice.logprobs', sdkLogprobsAttributes(answer));

function chatSpan(i: number, withLogprobs: boolean) {
  const answer = words(110, i + 2);
  return spanInput(
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 300,
      'gen_ai.usage.output_tokens': 120,
      'gen_ai.input.messages': JSON.stringify([
        { role: 'system', parts: [{ type: 'text', content: words(20, i) }] },
        { role: 'user', parts: [{ type: 'text', content: words(90, i + 1) }] },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: answer }], finish_reason: 'stop' },
      ]),
    },
    { events: withLogprobs ? [logprobsEvent(answer)] : [] },
  );
}

const hasConfidence = normalizeSpan(chatSpan(0, true), CTX).perplexity !== undefined;
console.log(`confidence step present: ${hasConfidence}; ${count} spans × ${rounds} rounds, best round`);
for (const withLogprobs of [false, true]) {
  const inputs = Array.from({ length: count }, (_, i) => chatSpan(i % 50, withLogprobs));
  let bestNormalize = Number.POSITIVE_INFINITY;
  let bestRow = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    const spans = inputs.map((input) => normalizeSpan(input, CTX));
    const t1 = process.hrtime.bigint();
    for (const s of spans) spanToRow(s);
    const t2 = process.hrtime.bigint();
    bestNormalize = Math.min(bestNormalize, Number(t1 - t0) / 1000 / count);
    bestRow = Math.min(bestRow, Number(t2 - t1) / 1000 / count);
  }
  console.log(
    `${withLogprobs ? 'with logprobs   ' : 'without logprobs'}: normalize ${bestNormalize.toFixed(1)} µs/span, row ${bestRow.toFixed(1)} µs/span`,
  );
}
