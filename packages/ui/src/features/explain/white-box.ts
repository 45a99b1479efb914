/**
 * Reads the white-box span events of a local model (docs/explainability.md, "White box"):
 * attention maps per layer and head, per-token attributions and per-layer statistics. Malformed
 * events (a weight count that is not tokens², scores of another length) are skipped. Pure.
 */
import type { SpanEvent } from '@argus/shared';

/** One attention map: `weights[i][j]` = how much token i attends to token j. */
export interface AttentionMap {
  layer: number;
  head: number;
  aggregation?: string;
  tokens: string[];
  weights: number[][];
}

/** Per-input-token attribution scores. */
export interface TokenAttribution {
  tokens: string[];
  scores: number[];
  method: string;
  target?: string;
}

/** One transformer layer's statistics for a generation. */
export interface LayerStats {
  layer: number;
  timeMs: number;
  activationNorm: number;
  saturation: number;
}

/** Everything white-box a span carries. */
export interface WhiteBox {
  attention: AttentionMap[];
  attributions: TokenAttribution[];
  layers: LayerStats[];
}

const MAX_TOKENS = 256;
const P = 'argus.explain.';

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
const numbers = (v: unknown): number[] | undefined => {
  if (!Array.isArray(v)) return undefined;
  const out = v.map(num);
  return out.every((n) => n !== undefined) ? (out as number[]) : undefined;
};
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((t) => typeof t === 'string') && v.length <= MAX_TOKENS
    ? (v as string[])
    : undefined;

function attentionOf(a: Record<string, unknown>): AttentionMap | undefined {
  const tokens = strings(a[`${P}tokens`]);
  const flat = numbers(a[`${P}weights`]);
  if (!tokens || !flat || flat.length !== tokens.length * tokens.length) return undefined;
  const n = tokens.length;
  const aggregation = typeof a[`${P}aggregation`] === 'string' ? (a[`${P}aggregation`] as string) : undefined;
  return {
    layer: num(a[`${P}layer`]) ?? -1,
    head: num(a[`${P}head`]) ?? -1,
    ...(aggregation ? { aggregation } : {}),
    tokens,
    weights: Array.from({ length: n }, (_, i) => flat.slice(i * n, (i + 1) * n)),
  };
}

function attributionOf(a: Record<string, unknown>): TokenAttribution | undefined {
  const tokens = strings(a[`${P}tokens`]);
  const scores = numbers(a[`${P}scores`]);
  if (!tokens || !scores || scores.length !== tokens.length) return undefined;
  const target = a[`${P}target`];
  return {
    tokens,
    scores,
    method: typeof a[`${P}method`] === 'string' ? (a[`${P}method`] as string) : 'attribution',
    ...(typeof target === 'string' ? { target } : {}),
  };
}

function layerOf(a: Record<string, unknown>): LayerStats | undefined {
  const layer = num(a[`${P}layer`]);
  if (layer === undefined) return undefined;
  return {
    layer,
    timeMs: num(a[`${P}time_ms`]) ?? 0,
    activationNorm: num(a[`${P}activation_norm`]) ?? 0,
    saturation: num(a[`${P}saturation`]) ?? 0,
  };
}

/** The white-box content of a span's events. */
export function whiteBoxOf(events: readonly SpanEvent[] | undefined): WhiteBox {
  const box: WhiteBox = { attention: [], attributions: [], layers: [] };
  for (const e of events ?? []) {
    const a = e.attributes ?? {};
    if (e.name === `${P}attention`) {
      const map = attentionOf(a);
      if (map) box.attention.push(map);
    } else if (e.name === `${P}attribution`) {
      const attribution = attributionOf(a);
      if (attribution) box.attributions.push(attribution);
    } else if (e.name === `${P}layer_stats`) {
      const layer = layerOf(a);
      if (layer) box.layers.push(layer);
    }
  }
  box.layers.sort((x, y) => x.layer - y.layer);
  return box;
}

/** Layers more than two standard deviations above the others' mean on `key` (slow or large). */
export function outlierLayers(layers: readonly LayerStats[], key: 'timeMs' | 'activationNorm'): Set<number> {
  const out = new Set<number>();
  for (const l of layers) {
    const others = layers.filter((o) => o !== l).map((o) => o[key]);
    if (others.length < 2) continue;
    const mean = others.reduce((s, v) => s + v, 0) / others.length;
    const sd = Math.sqrt(others.reduce((s, v) => s + (v - mean) ** 2, 0) / others.length);
    if (l[key] > mean + 2 * Math.max(sd, 1e-9 + 0.05 * Math.abs(mean))) out.add(l.layer);
  }
  return out;
}
