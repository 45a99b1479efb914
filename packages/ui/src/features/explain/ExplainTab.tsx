/**
 * The Explain tab of an LLM span: plan and run an attribution (which parts of the prompt moved
 * the answer) or a counterfactual (what changes when a word is swapped), follow the job, and read
 * the latest results kept with the span.
 */
import type { AttributionResult, CounterfactualResult, ExplainJob, ExplainPlan, Span } from '@argus/shared';
import { useEffect, useState } from 'react';
import {
  cancelExplainJob,
  fetchExplainJob,
  fetchSpanExplanations,
  submitExplainJob,
} from '../../api-explain.ts';
import { SelectField, TextField } from '../../components/FormControls.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { formatCostExact } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { AttributionView } from './AttributionView.tsx';
import { CounterfactualView } from './CounterfactualView.tsx';
import { WhiteBoxView } from './WhiteBoxView.tsx';
import '../../styles/explain.css';

type Kind = 'attribution' | 'counterfactuals';

function planText(plan: ExplainPlan): string {
  const cost =
    plan.estimatedCostUsd === undefined ? 'cost unknown' : `≈ ${formatCostExact(plan.estimatedCostUsd)}`;
  return `${plan.calls} calls to ${plan.model} + ${plan.measureCalls} measuring calls, ${cost}${plan.capped ? ' (capped by maxCalls)' : ''}`;
}

/** Polls a running job until it ends. */
function useRunningJob(kind: Kind, id: string | undefined, onDone: () => void) {
  const [job, setJob] = useState<ExplainJob>();
  useEffect(() => {
    if (!id) return;
    let alive = true;
    const tick = async () => {
      const { data } = await fetchExplainJob(kind, id);
      if (!alive) return;
      setJob(data);
      if (data.status === 'queued' || data.status === 'running') setTimeout(() => void tick(), 400);
      else onDone();
    };
    void tick();
    return () => {
      alive = false;
    };
  }, [kind, id, onDone]);
  return job;
}

function JobForm({ span, onStarted }: { span: Span; onStarted: (kind: Kind, id: string) => void }) {
  const [kind, setKind] = useState<Kind>('attribution');
  const [granularity, setGranularity] = useState('sentence');
  const [method, setMethod] = useState('occlusion');
  const [measure, setMeasure] = useState('embedding');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [plan, setPlan] = useState<ExplainPlan>();
  const [error, setError] = useState<Error>();
  const body = () =>
    kind === 'attribution'
      ? { traceId: span.traceId, spanId: span.spanId, granularity, method, outputMeasure: measure }
      : { traceId: span.traceId, spanId: span.spanId, substitutions: [{ from, to }] };
  const send = async (dryRun: boolean) => {
    setError(undefined);
    try {
      const { data } = await submitExplainJob(kind, { ...body(), dryRun });
      setPlan(data.plan);
      if (data.id) onStarted(kind, data.id);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <form className="stack explain-form" aria-label="Explain this call" onSubmit={(e) => e.preventDefault()}>
      <div className="row wrap" style={{ gap: 10 }}>
        <SelectField
          label="Explain"
          options={[
            ['attribution', 'Attribution'],
            ['counterfactuals', 'Counterfactual'],
          ]}
          value={kind}
          onValue={(v) => {
            setKind(v);
            setPlan(undefined);
          }}
        />
        {kind === 'attribution' ? (
          <>
            <SelectField
              label="Granularity"
              options={['sentence', 'message', 'document', 'token-window']}
              value={granularity}
              onValue={setGranularity}
            />
            <SelectField
              label="Method"
              options={['occlusion', 'shapley-sampling']}
              value={method}
              onValue={setMethod}
            />
            <SelectField
              label="Measure"
              options={['embedding', 'logprob', 'judge']}
              value={measure}
              onValue={setMeasure}
            />
          </>
        ) : (
          <>
            <TextField label="Replace" value={from} onValue={setFrom} placeholder="French" />
            <TextField label="with" value={to} onValue={setTo} placeholder="English" />
          </>
        )}
      </div>
      <div className="row" style={{ gap: 8 }}>
        <button type="button" className="btn" onClick={() => void send(true)}>
          Plan
        </button>
        <button type="button" className="btn primary" onClick={() => void send(false)}>
          Run
        </button>
        {plan && (
          <span className="muted" data-testid="explain-plan">
            {planText(plan)}
          </span>
        )}
      </div>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

/** The tab. */
export function ExplainTab({ span }: { span: Span }) {
  const canWrite = useCan('write');
  const jobs = useApi(`explain:${span.traceId}:${span.spanId}`, (signal) =>
    fetchSpanExplanations(span.traceId, span.spanId, signal),
  );
  const [running, setRunning] = useState<{ kind: Kind; id: string }>();
  const job = useRunningJob(running?.kind ?? 'attribution', running?.id, jobs.reload);
  const list = jobs.data?.data ?? [];
  const attribution = list.find((j) => j.kind === 'attribution' && j.status === 'succeeded');
  const counterfactual = list.find((j) => j.kind === 'counterfactuals' && j.status === 'succeeded');
  const isRunning = job && (job.status === 'queued' || job.status === 'running');
  return (
    <div className="stack">
      <WhiteBoxView span={span} />
      {canWrite.isAllowed && <JobForm span={span} onStarted={(kind, id) => setRunning({ kind, id })} />}
      {job && running && (
        <div className="row" role="status" style={{ gap: 8, fontSize: 12 }}>
          <span className={`chip${job.status === 'failed' ? ' error' : ''}`}>{job.status}</span>
          <span>
            {job.progress.done} / {job.progress.total} calls
          </span>
          {job.error && <span className="muted">{job.error}</span>}
          {isRunning && (
            <button
              type="button"
              className="btn small"
              onClick={() => void cancelExplainJob(running.kind, running.id)}
            >
              Cancel
            </button>
          )}
        </div>
      )}
      {jobs.error && <ErrorBox error={jobs.error} onRetry={jobs.reload} />}
      {attribution && <AttributionView result={attribution.result as AttributionResult} />}
      {counterfactual && <CounterfactualView result={counterfactual.result as CounterfactualResult} />}
      {list.length === 0 && !jobs.isLoading && (
        <p className="muted">
          No explanations yet. Attribution replays this call with parts of the prompt removed and shows which
          parts moved the answer; a counterfactual swaps words and compares the answers.
        </p>
      )}
    </div>
  );
}
