/**
 * The ad hoc comparison: the page's time range is the current window and the period just before
 * it, of the same length, the reference; the global filters pick the spans.
 */
import type { DriftFeatureName, DriftReport } from '@argus/shared';
import { useState } from 'react';
import { compareDrift } from '../../api-drift.ts';
import { ErrorBox } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import type { TimeWindow } from '../../lib/time-range.ts';
import type { ViewParams } from '../../lib/url-state.ts';
import { DriftReportView } from './DriftReportView.tsx';

/** Features offered, with what they compare. */
export const FEATURE_CHOICES: readonly [DriftFeatureName, string][] = [
  ['input', 'prompt text'],
  ['output', 'answer text'],
  ['inputEmbedding', 'prompt embedding'],
  ['outputEmbedding', 'answer embedding'],
  ['inputTokens', 'input tokens'],
  ['outputTokens', 'output tokens'],
  ['latency', 'latency'],
  ['ttft', 'time to first token'],
  ['cost', 'cost'],
  ['perplexity', 'perplexity'],
  ['model', 'model'],
  ['finishReason', 'finish reason'],
  ['errorType', 'error type'],
];
const DEFAULT_PICK: DriftFeatureName[] = [
  'input',
  'inputEmbedding',
  'output',
  'outputTokens',
  'latency',
  'model',
];

/** The span filter of the page's global filters. */
export function filterOf(params: ViewParams): Record<string, string[]> {
  const filter: Record<string, string[]> = {};
  for (const key of ['service', 'environment', 'model', 'provider'] as const) {
    const values = params[key];
    if (values && values.length > 0) filter[key] = values;
  }
  return filter;
}

/** Feature checkboxes. */
export function FeaturePicker({
  value,
  onChange,
}: {
  value: DriftFeatureName[];
  onChange: (v: DriftFeatureName[]) => void;
}) {
  return (
    <fieldset
      className="row wrap"
      style={{ border: 0, padding: 0, margin: 0, gap: 10 }}
      aria-label="Features"
    >
      {FEATURE_CHOICES.map(([feature, label]) => (
        <label key={feature} className="row nowrap" style={{ gap: 4 }} title={label}>
          <input
            type="checkbox"
            checked={value.includes(feature)}
            onChange={(e) =>
              onChange(e.target.checked ? [...value, feature] : value.filter((f) => f !== feature))
            }
          />
          {feature}
        </label>
      ))}
    </fieldset>
  );
}

/** The compare panel. */
export function ComparePanel({ params, timeWindow }: { params: ViewParams; timeWindow: TimeWindow }) {
  const [features, setFeatures] = useState<DriftFeatureName[]>(DEFAULT_PICK);
  const [state, setState] = useState<{ report?: DriftReport; error?: Error; isRunning: boolean }>({
    isRunning: false,
  });
  const length = timeWindow.toMs - timeWindow.fromMs;
  const reference = { from: timeWindow.fromMs - length, to: timeWindow.fromMs - 1 };
  const run = async () => {
    setState((s) => ({ ...s, isRunning: true, error: undefined }));
    try {
      const { data } = await compareDrift({
        filter: filterOf(params),
        reference,
        current: { from: timeWindow.fromMs, to: timeWindow.toMs },
        features,
      });
      setState({ report: data, isRunning: false });
    } catch (error) {
      setState({ error: error as Error, isRunning: false });
    }
  };
  return (
    <div className="stack">
      <section className="panel" aria-label="Compare windows">
        <div className="panel-head">Compare windows</div>
        <div className="stack" style={{ padding: '10px 12px' }}>
          <p className="muted" style={{ margin: 0 }}>
            Reference {formatTime(reference.from)} – {formatTime(reference.to)} · current{' '}
            {formatTime(timeWindow.fromMs)} – {formatTime(timeWindow.toMs)} (LLM spans of the filters above)
          </p>
          <FeaturePicker value={features} onChange={setFeatures} />
          <div className="row">
            <button
              type="button"
              className="btn primary"
              disabled={state.isRunning || features.length === 0}
              onClick={run}
            >
              {state.isRunning ? 'Comparing…' : 'Compare'}
            </button>
          </div>
        </div>
      </section>
      {state.error && <ErrorBox error={state.error} onRetry={run} />}
      {state.report && <DriftReportView report={state.report} />}
    </div>
  );
}
