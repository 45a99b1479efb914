/** Create / edit form for threshold, anomaly and budget rules; server errors show next to their input. */

import type { AlertRule, Channel } from '@argus/shared';
import { METRIC_NAMES } from '@argus/shared';
import { type ReactNode, useState } from 'react';
import { ApiError, saveAlertRule } from '../../api.ts';
import { ErrorBox } from '../../components/States.tsx';
import { draftToRule, errorField, type RuleDraft } from './rule-form.ts';

function Field({
  label,
  error,
  children,
  wide,
}: {
  label: string;
  error?: string;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child
    <label className={`field${wide ? ' wide' : ''}`}>
      <span>{label}</span>
      {children}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

/** The draft, its errors, its setter and the input makers the form's parts share. */
interface Controls {
  draft: RuleDraft;
  errors: Partial<Record<keyof RuleDraft, string>>;
  set: <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => void;
  text: (key: keyof RuleDraft, props?: { placeholder?: string; inputMode?: 'decimal' }) => ReactNode;
  select: <K extends keyof RuleDraft>(key: K, options: readonly string[]) => ReactNode;
}

/** The rule editor. */
export function RuleForm({
  initial,
  ruleId,
  channels,
  onSaved,
  onCancel,
}: {
  initial: RuleDraft;
  ruleId?: string;
  channels: Channel[];
  onSaved: (rule: AlertRule) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof RuleDraft, string>>>({});
  const [formError, setFormError] = useState<Error | undefined>();
  const [isSaving, setSaving] = useState(false);
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: keyof RuleDraft, props: { placeholder?: string; inputMode?: 'decimal' } = {}) => (
    <input
      className={`input${errors[key] ? ' invalid' : ''}`}
      name={key}
      value={draft[key] as string}
      aria-invalid={errors[key] ? true : undefined}
      onChange={(e) => set(key, e.target.value as never)}
      {...props}
    />
  );
  const select = <K extends keyof RuleDraft>(key: K, options: readonly string[]) => (
    <select
      className="select"
      name={key}
      value={draft[key] as string}
      onChange={(e) => set(key, e.target.value as RuleDraft[K])}
    >
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
  const save = async () => {
    const { rule, errors: local } = draftToRule(draft);
    setErrors(local);
    setFormError(undefined);
    if (Object.keys(local).length > 0) return;
    setSaving(true);
    try {
      const saved = await saveAlertRule(rule, ruleId);
      onSaved(saved.data);
    } catch (error) {
      const field = error instanceof ApiError ? errorField(error.message) : undefined;
      if (field) setErrors({ [field]: (error as Error).message });
      else setFormError(error as Error);
    } finally {
      setSaving(false);
    }
  };
  const controls: Controls = { draft, errors, set, text, select };
  return (
    <form
      className="stack rule-form"
      aria-label="Rule editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {formError && <ErrorBox error={formError} />}
      <div className="form-grid">
        <Field label="Name" error={errors.name}>
          {text('name', { placeholder: 'Chat p95 latency' })}
        </Field>
        <Field label="Type" error={errors.type}>
          {select('type', ['threshold', 'anomaly', 'budget'])}
        </Field>
        <Field label="Severity" error={errors.severity}>
          {select('severity', ['info', 'warning', 'critical'])}
        </Field>
        <Field label="Enabled">
          <input
            type="checkbox"
            name="enabled"
            checked={draft.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
          />
        </Field>
        <SourceFields controls={controls} />
        <ConditionFields controls={controls} />
        <Field label="For" error={errors.for}>
          {text('for', { placeholder: draft.type === 'anomaly' ? 'one window' : '0s' })}
        </Field>
        <Field label="Renotify every" error={errors.renotifyInterval}>
          {text('renotifyInterval', { placeholder: 'never' })}
        </Field>
        <Field label="Labels (key=value per line)" error={errors.labels} wide>
          <textarea
            className="input"
            name="labels"
            rows={2}
            value={draft.labels}
            onChange={(e) => set('labels', e.target.value)}
          />
        </Field>
        <Field label="Description" error={errors.description} wide>
          {text('description')}
        </Field>
        <ChannelsField controls={controls} channels={channels} />
      </div>
      <div className="row">
        <button type="submit" className="btn primary" disabled={isSaving}>
          {isSaving ? 'Saving…' : ruleId ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** What the rule watches: a span series (metric, filters), an OTLP metric or a score. */
function SourceFields({ controls }: { controls: Controls }) {
  const { draft, errors, set, text, select } = controls;
  const isThreshold = draft.type === 'threshold';
  const kind = isThreshold ? draft.sourceKind : 'series';
  return (
    <>
      {isThreshold && (
        <Field label="Source" error={errors.sourceKind}>
          {select('sourceKind', ['series', 'otlpMetric', 'score'])}
        </Field>
      )}
      {kind === 'series' && draft.type !== 'budget' && (
        <Field label="Metric" error={errors.metric}>
          {select('metric', METRIC_NAMES)}
        </Field>
      )}
      {kind !== 'series' && (
        <>
          <Field label={kind === 'score' ? 'Score name' : 'OTLP metric name'} error={errors.sourceName}>
            {text('sourceName')}
          </Field>
          <Field label="Aggregation" error={errors.aggregation}>
            {select(
              'aggregation',
              kind === 'score' ? ['avg', 'min', 'count'] : ['avg', 'min', 'max', 'sum', 'last', 'count'],
            )}
          </Field>
        </>
      )}
      {kind === 'series' && (
        <Field label="Filters (key=value per line, a|b for lists)" error={errors.filters} wide>
          <textarea
            className="input"
            name="filters"
            rows={2}
            value={draft.filters}
            placeholder="service=chat-api"
            onChange={(e) => set('filters', e.target.value)}
          />
        </Field>
      )}
      {kind === 'otlpMetric' && (
        <Field label="Attributes (key=value per line)" error={errors.attributes} wide>
          <textarea
            className="input"
            name="attributes"
            rows={2}
            value={draft.attributes}
            onChange={(e) => set('attributes', e.target.value)}
          />
        </Field>
      )}
    </>
  );
}

/** When it fires: the window and the threshold, anomaly band or budget of the rule's type. */
function ConditionFields({ controls }: { controls: Controls }) {
  const { draft, errors, text, select } = controls;
  const isThreshold = draft.type === 'threshold';
  return (
    <>
      {draft.type !== 'budget' && (
        <Field label="Window" error={errors.window}>
          {text('window', { placeholder: '5m' })}
        </Field>
      )}
      {isThreshold && (
        <>
          <Field label="Comparison" error={errors.comparison}>
            {select('comparison', ['>', '>=', '<', '<='])}
          </Field>
          <Field label="Threshold" error={errors.threshold}>
            {text('threshold', { inputMode: 'decimal' })}
          </Field>
        </>
      )}
      {draft.type === 'anomaly' && (
        <>
          <Field label="Sensitivity (σ)" error={errors.sensitivity}>
            {text('sensitivity', { inputMode: 'decimal' })}
          </Field>
          <Field label="History days" error={errors.historyDays}>
            {text('historyDays', { inputMode: 'decimal' })}
          </Field>
          <Field label="Direction" error={errors.direction}>
            {select('direction', ['both', 'above', 'below'])}
          </Field>
          <Field label="Min band width" error={errors.minBandWidth}>
            {text('minBandWidth', { inputMode: 'decimal' })}
          </Field>
          <Field label="Min relative width" error={errors.minRelativeWidth}>
            {text('minRelativeWidth', { inputMode: 'decimal' })}
          </Field>
        </>
      )}
      {draft.type === 'budget' && (
        <>
          <Field label="Period" error={errors.period}>
            {select('period', ['day', 'week', 'month'])}
          </Field>
          <Field label="Amount (USD)" error={errors.amountUsd}>
            {text('amountUsd', { inputMode: 'decimal' })}
          </Field>
          <Field label="Notify at % (comma list)" error={errors.percentages}>
            {text('percentages')}
          </Field>
        </>
      )}
    </>
  );
}

/** The channels the rule notifies (checkboxes). */
function ChannelsField({ controls, channels }: { controls: Controls; channels: Channel[] }) {
  const { draft, errors, set } = controls;
  return (
    <Field label="Channels" error={errors.channels} wide>
      <div className="row wrap">
        {channels.length === 0 && <span className="muted">No channels yet (Channels tab)</span>}
        {channels.map((c) => (
          <label key={c.id} className="row" style={{ gap: 4 }}>
            <input
              type="checkbox"
              checked={draft.channels.includes(c.id)}
              onChange={(e) =>
                set(
                  'channels',
                  e.target.checked ? [...draft.channels, c.id] : draft.channels.filter((id) => id !== c.id),
                )
              }
            />
            {c.name} <span className="faint">({c.type})</span>
          </label>
        ))}
      </div>
    </Field>
  );
}
