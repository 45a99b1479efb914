/**
 * Token-estimate micro-benchmark: µs per character of the BPE counter Argus uses
 * (`enrich/bpe-count.ts`) against js-tiktoken's `encode` on the same vocabulary, for natural
 * English, Chinese sentences and the pathological runs of issue 11, plus the time of
 * `estimateTokens` on whole texts as the ingest path calls it (long texts are sampled).
 *
 * Usage: node bench/tokens.bench.ts [rounds=5]
 */
import { createRequire } from 'node:module';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { type BpeRanks, createBpeCounter } from '../packages/server/src/enrich/bpe-count.ts';
import { estimateTokens, preloadTokenizers } from '../packages/server/src/enrich/tokens.ts';

const rounds = Number(process.argv[2] ?? 5);
const require = createRequire(import.meta.url);
const ranks = require('js-tiktoken/ranks/o200k_base') as TiktokenBPE & BpeRanks;
const tiktoken = new Tiktoken(ranks);
const counter = createBpeCounter(ranks);

const texts: [string, string, boolean][] = [
  // [label, text, whether js-tiktoken finishes in reasonable time]
  [
    'English prose, 10 k chars',
    'The quick brown fox asks about the refund policy for order 4412. '.repeat(154),
    true,
  ],
  [
    'Chinese sentences, 3 k chars',
    '我们的退货政策是三十天内可以无理由退货，请保留好您的购物凭证。'.repeat(100),
    true,
  ],
  ["'Z' × 2,000", 'Z'.repeat(2_000), true],
  ["'Z' × 15,000", 'Z'.repeat(15_000), false],
  ['CJK × 20,000 (no punctuation)', '中'.repeat(20_000), false],
];

/** Median milliseconds of `fn` over the rounds. */
function median(fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

console.log('| text | js-tiktoken µs/char | Argus counter µs/char | ratio |');
console.log('|---|---:|---:|---:|');
for (const [label, text, oracle] of texts) {
  counter.count(text);
  const ours = median(() => counter.count(text)) / text.length;
  const theirs = oracle ? median(() => tiktoken.encode(text, [], [])) / text.length : Number.NaN;
  const ratio = oracle ? `${(theirs / ours).toFixed(1)}×` : 'n/a (seconds to minutes)';
  console.log(
    `| ${label} | ${oracle ? (theirs * 1000).toFixed(2) : '—'} | ${(ours * 1000).toFixed(2)} | ${ratio} |`,
  );
}

preloadTokenizers();
console.log('\n| estimateTokens on | ms |');
console.log('|---|---:|');
for (const [label, text] of [
  ["'Z' × 100,000 (sampled)", 'Z'.repeat(100_000)],
  ['English prose, 32 k chars (exact)', 'The quick brown fox asks about the refund policy. '.repeat(640)],
  ['15 MB of one letter (sampled)', 'Z'.repeat(15_000_000)],
] as const) {
  console.log(`| ${label} | ${median(() => estimateTokens(text, 'gpt-4o')).toFixed(1)} |`);
}
