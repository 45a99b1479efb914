/**
 * "Can this judge be trusted?" on the evaluator list: the evaluator's scores against people's
 * (human review) on one score name — the confusion matrix, accuracy, per-label precision /
 * recall / F1 and Cohen's κ for labels, or Pearson / Spearman and the mean absolute difference
 * for numbers — and people against each other where two reviewed the same item.
 */
import type { CategoricalAgreement, Estimate, Evaluator, JudgeAgreement } from '@argus/shared';
import { useState } from 'react';
import { fetchAgreement, fetchScoreConfigs } from '../../api-annotation.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { SelectField } from '../../components/FormControls.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { useApi } from '../../lib/use-api.ts';
import '../../styles/review.css';

const fixed = (n: number | null | undefined) =>
  n === undefined || n === null || Number.isNaN(n) ? '–' : n.toFixed(2);

function EstimateText({ label, estimate }: { label: string; estimate: Estimate | undefined }) {
  if (!estimate) return null;
  return (
    <div className="row">
      <span className="muted">{label}</span>
      <span>
        <strong>{fixed(estimate.value)}</strong>
        {estimate.low !== undefined && (
          <span className="muted">
            {' '}
            (95 % {fixed(estimate.low)} … {fixed(estimate.high)})
          </span>
        )}
      </span>
    </div>
  );
}

/** κ read the usual way (Landis and Koch). */
function verdictOf(kappa: number | undefined): string {
  if (kappa === undefined || Number.isNaN(kappa)) return 'not enough pairs yet';
  if (kappa >= 0.8) return 'almost perfect agreement';
  if (kappa >= 0.6) return 'substantial agreement';
  if (kappa >= 0.4) return 'moderate agreement';
  if (kappa >= 0.2) return 'fair agreement';
  return 'slight or no agreement: do not trust this judge alone';
}

/** The confusion matrix (people by rows, the judge by columns) and the per-label figures. */
function LabelTables({ agreement: c }: { agreement: CategoricalAgreement }) {
  return (
    <>
      <table className="confusion" aria-label="Confusion matrix">
        <thead>
          <tr>
            <th>people ↓ / judge →</th>
            {c.labels.map((l) => (
              <th key={l}>{l}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {c.labels.map((l, i) => (
            <tr key={l}>
              <th>{l}</th>
              {c.confusionMatrix[i]?.map((n, j) => (
                <td key={c.labels[j]}>{n}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <DataTable
        label="Per label"
        className="confusion"
        columns={['label', 'precision', 'recall', 'F1', 'support']}
      >
        {c.perLabel.map((l) => (
          <tr key={l.label}>
            <th>{l.label}</th>
            <td>{fixed(l.precision)}</td>
            <td>{fixed(l.recall)}</td>
            <td>{fixed(l.f1)}</td>
            <td>{l.support}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

function Report({ report }: { report: JudgeAgreement }) {
  if (report.pairs === 0)
    return (
      <Empty title="No item scored by both">
        Put traces this evaluator scored into an annotation queue with the score '{report.against}', and
        review them.
      </Empty>
    );
  const c = report.categorical;
  return (
    <section className="stack" aria-label="Agreement">
      <p>
        <strong>{report.pairs}</strong> items scored by both.{' '}
        {c && <span>Verdict: {verdictOf(c.kappa.value)}.</span>}
      </p>
      {c && (
        <>
          <EstimateText label="Cohen's κ" estimate={c.kappa} />
          <div className="row">
            <span className="muted">Accuracy</span>
            <strong>{fixed(c.accuracy)}</strong>
          </div>
          <LabelTables agreement={c} />
        </>
      )}
      {report.numeric && (
        <>
          <EstimateText label="Pearson r" estimate={report.numeric.pearson} />
          <EstimateText label="Spearman ρ" estimate={report.numeric.spearman} />
          <div className="row">
            <span className="muted">Mean absolute difference</span>
            <strong>{fixed(report.numeric.meanAbsoluteDifference)}</strong>
          </div>
        </>
      )}
      <p className="muted">
        People against each other: {report.humanVsHuman.pairs} items reviewed twice
        {report.humanVsHuman.kappa && `, κ ${fixed(report.humanVsHuman.kappa.value)}`}
        {report.humanVsHuman.pearson && `, r ${fixed(report.humanVsHuman.pearson.value)}`} — the most a judge
        can be expected to reach.
      </p>
    </section>
  );
}

/** The dialog. */
export function AgreementDialog({ evaluator, onClose }: { evaluator: Evaluator; onClose: () => void }) {
  const configs = useApi('agreement-configs', (signal) => fetchScoreConfigs(signal));
  const [picked, setPicked] = useState('');
  const names = (configs.data?.data ?? []).map((c) => c.name);
  const against = picked || names[0] || '';
  const report = useApi(against ? `agreement:${evaluator.id}:${against}` : undefined, (signal) =>
    fetchAgreement(evaluator.id, against, signal),
  );
  return (
    <Dialog title={`Can ${evaluator.name} be trusted?`} onClose={onClose} isWide>
      {configs.error ? (
        <ErrorBox error={configs.error} />
      ) : !configs.data ? (
        <Loading />
      ) : names.length === 0 ? (
        <Empty title="No score configs">
          Create a score config and review traces in an annotation queue first.
        </Empty>
      ) : (
        <div className="stack">
          <SelectField
            label="Against people's score"
            name="against"
            options={names}
            value={against}
            onValue={setPicked}
          />
          {report.error && <ErrorBox error={report.error} />}
          {report.data ? <Report report={report.data.data} /> : !report.error && <Loading />}
        </div>
      )}
    </Dialog>
  );
}
