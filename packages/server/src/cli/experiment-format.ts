/**
 * How the experiment commands print: an experiment's summary (mean and 95 % interval per
 * evaluator), the comparison of two (baseline and candidate means with intervals, the paired
 * difference with its interval, p-value, up/down counts, verdict) and the progress bar. Pure.
 */
import type { Experiment, ExperimentComparison } from '@argus/shared';
import { formatCount, formatMs, formatUsd, table } from './format.ts';

const num = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');
const interval = (ci: readonly [number, number] | undefined) => (ci ? `[${num(ci[0])}, ${num(ci[1])}]` : '');
const signed = (v: number) => (v > 0 ? `+${num(v)}` : num(v));

/** A p-value as people read it: `0.0312`, `< 0.0001`. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p < 0.0001) return '< 0.0001';
  return p.toFixed(4);
}

/** An experiment's head line and its scores table. */
export function experimentText(e: Experiment): string {
  const s = e.summary;
  const facts = [
    `${e.status}`,
    `${formatCount(e.progress.done)}/${formatCount(e.progress.total)} item runs`,
    ...(s.errors > 0 ? [`${formatCount(s.errors)} failed`] : []),
    ...(s.latencyMs ? [`latency p50 ${formatMs(s.latencyMs.p50)} p95 ${formatMs(s.latencyMs.p95)}`] : []),
    ...(s.tokens.total > 0 ? [`${formatCount(s.tokens.total)} tokens`] : []),
    ...(s.costUsd > 0 ? [`cost ${formatUsd(s.costUsd)}`] : []),
  ];
  const head = `Experiment ${e.name} (${e.id}): ${facts.join(', ')}${e.error ? `\n  error: ${e.error}` : ''}\n`;
  const rows = Object.entries(s.scores).map(([name, v]) => ({
    evaluator: name,
    mean: num(v.mean),
    ci95: interval(v.ci95),
    n: formatCount(v.n),
  }));
  if (rows.length === 0) return `${head}No scores.\n`;
  const labels = s.labels
    ? `Label accuracy ${num(s.labels.accuracy)} over ${s.labels.labels.length} labels\n`
    : '';
  return `${head}${table(rows, ['evaluator', 'mean', 'ci95', 'n'], { headers: { ci95: '95% interval' }, right: ['mean', 'n'] })}${labels}`;
}

/** The verdict of one evaluator's comparison. */
function verdict(c: ExperimentComparison['evaluators'][string]): string {
  if (c.regression) return 'REGRESSION';
  if (c.improvement) return 'improvement';
  return 'no significant change';
}

/**
 * The comparison as a table, per evaluator: baseline and candidate means with their intervals
 * (from each experiment's summary), the paired difference with its interval, the p-value and
 * test, items up/down/same, and the verdict; then latency, cost and an overall line.
 */
export function comparisonText(
  c: ExperimentComparison,
  baseline?: Experiment,
  candidate?: Experiment,
): string {
  const rows = Object.entries(c.evaluators).map(([name, e]) => ({
    evaluator: name,
    baseline: `${num(e.baselineMean)} ${interval(baseline?.summary.scores[name]?.ci95)}`.trim(),
    candidate: `${num(e.candidateMean)} ${interval(candidate?.summary.scores[name]?.ci95)}`.trim(),
    difference: `${signed(e.difference)} ${interval(e.ci95)}`,
    p: `${formatPValue(e.pValue)}${e.test === 'none' ? '' : ` (${e.test === 'mcnemar_exact' ? 'McNemar' : 'permutation'})`}`,
    counts: `${e.improved}/${e.regressed}/${e.unchanged}`,
    verdict: verdict(e),
  }));
  const head = `Baseline  ${c.baseline.name} (${c.baseline.id})\nCandidate ${c.candidate.name} (${c.candidate.id})\n${formatCount(c.pairedItems)} paired items, ${formatCount(c.pairedRuns)} paired runs, alpha ${c.alpha}\n\n`;
  const body =
    rows.length === 0
      ? 'No evaluator scored both experiments.\n'
      : table(rows, ['evaluator', 'baseline', 'candidate', 'difference', 'p', 'counts', 'verdict'], {
          headers: { p: 'p-value', counts: 'up/down/same' },
        });
  const delta = (label: string, d: ExperimentComparison['latencyMs'], fmt: (v: number) => string) =>
    d.n === 0 || (d.baselineMean === 0 && d.candidateMean === 0)
      ? ''
      : `${label} ${fmt(d.baselineMean)} → ${fmt(d.candidateMean)} (${d.delta >= 0 ? '+' : '-'}${fmt(Math.abs(d.delta))})\n`;
  const regressed = Object.entries(c.evaluators)
    .filter(([, e]) => e.regression)
    .map(([n]) => n);
  const overall = c.regression
    ? `REGRESSION: the candidate is significantly worse on ${regressed.join(', ')} (at alpha ${c.alpha})\n`
    : `No significant regression (at alpha ${c.alpha})\n`;
  return `${head}${body}\n${delta('Latency', c.latencyMs, formatMs)}${delta('Cost per run', c.costUsd, formatUsd)}${overall}`;
}

/** A progress bar line: `[########------------]  12/40  30%  1 failed`. */
export function progressBar(done: number, total: number, failed: number, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(share * width);
  const errors = failed > 0 ? `  ${failed} failed` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total}  ${Math.floor(share * 100)}%${errors}`;
}
