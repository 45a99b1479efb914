/**
 * The token lists a span keeps for the heatmap: its `gen_ai.choice.logprobs` events'
 * `logprobs.content` (a list, or JSON text from older data), read defensively — whatever a span
 * carries, this returns well-formed tokens or nothing.
 */
import type { Span } from '../../api-types.ts';

/** One alternative at a position. */
export interface Alternative {
  token: string;
  logprob: number;
}

/** One token with its probability's log and the alternatives the model returned. */
export interface HeatToken extends Alternative {
  top: Alternative[];
}

/** One choice's tokens. */
export interface ChoiceTokens {
  index: number;
  tokens: HeatToken[];
  /** Tokens left out of the stored list (the figures still cover them). */
  dropped: number;
}

const LOGPROBS_EVENT = 'gen_ai.choice.logprobs';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function alternative(value: unknown): Alternative | undefined {
  if (!isObj(value) || typeof value.logprob !== 'number' || !Number.isFinite(value.logprob)) return undefined;
  return { token: typeof value.token === 'string' ? value.token : '', logprob: Math.min(0, value.logprob) };
}

/** Every choice's tokens, in choice order; empty when the span kept none. */
export function tokenLogprobsOf(span: Pick<Span, 'events'>): ChoiceTokens[] {
  const out: ChoiceTokens[] = [];
  for (const event of span.events ?? []) {
    if (event.name !== LOGPROBS_EVENT || !isObj(event.attributes)) continue;
    const attrs = event.attributes;
    const tokens: HeatToken[] = [];
    for (const entry of parseList(attrs['logprobs.content'])) {
      const token = alternative(entry);
      if (token === undefined) continue;
      const top = isObj(entry) ? parseList(entry.top_logprobs) : [];
      tokens.push({ ...token, top: top.map(alternative).filter((a): a is Alternative => a !== undefined) });
    }
    if (tokens.length === 0) continue;
    const index = attrs['gen_ai.choice.index'];
    const dropped = attrs['logprobs.dropped'];
    out.push({
      index: typeof index === 'number' ? index : out.length,
      tokens,
      dropped: typeof dropped === 'number' && dropped > 0 ? dropped : 0,
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** A probability (0…1) from a logprob. */
export function probabilityOf(logprob: number): number {
  return Math.exp(logprob);
}

/** The heatmap colour of a probability: red for unlikely, fading to none for certain tokens. */
export function tintOf(probability: number): string {
  const p = Math.min(1, Math.max(0, probability));
  const hue = Math.round(120 * p);
  const alpha = (0.08 + 0.5 * (1 - p)).toFixed(2);
  return `hsla(${hue}, 75%, 50%, ${alpha})`;
}

/** A percentage with sensible precision (99.9 %, 42 %, 0.31 %). */
export function formatProbability(probability: number): string {
  const pct = probability * 100;
  if (pct >= 99.95) return '100 %';
  if (pct >= 10) return `${pct.toFixed(pct >= 99 ? 1 : 0)} %`;
  if (pct >= 1) return `${pct.toFixed(1)} %`;
  return `${pct.toPrecision(2)} %`;
}
