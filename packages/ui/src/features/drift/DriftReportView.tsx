/** A comparison's verdicts, one row per feature, with the detail of the feature picked below. */
import type { DriftFeatureResult, DriftReport } from '@argus/shared';
import { useState } from 'react';
import { DataTable, num } from '../../components/DataTable.tsx';
import { formatCount } from '../../lib/format.ts';
import { FeatureDetail } from './FeatureDetail.tsx';

const TESTS: Record<string, string> = {
  ks: 'Kolmogorov–Smirnov',
  wasserstein: 'Wasserstein (normed)',
  'chi-squared': 'chi-squared',
  'jensen-shannon': 'Jensen–Shannon',
  'domain-classifier': 'domain classifier (AUC)',
  'embedding-distance': 'MMD² + centroid',
};

function verdict(f: DriftFeatureResult) {
  if (f.skipped)
    return (
      <span className="chip" title={f.skipped}>
        skipped
      </span>
    );
  return f.drifted ? <span className="chip error">drifted</span> : <span className="chip ok">stable</span>;
}

const fixed = (n: number | undefined, digits = 4) =>
  n === undefined ? '–' : Number(n.toFixed(digits)).toString();

/** The report. */
export function DriftReportView({ report }: { report: DriftReport }) {
  const first = report.features.find((f) => f.drifted && (f.words || f.embedding)) ?? report.features[0];
  const [picked, setPicked] = useState(first?.feature);
  const detail = report.features.find((f) => f.feature === picked);
  return (
    <section className="panel" aria-label="Comparison">
      <div className="panel-head">
        {report.drifted ? (
          <span className="chip error">drift found</span>
        ) : (
          <span className="chip ok">no drift</span>
        )}
        <span className="muted" style={{ marginLeft: 8 }}>
          {formatCount(report.reference.count)} reference · {formatCount(report.current.count)} current spans
          · {report.tookMs} ms
        </span>
      </div>
      <div className="table-wrap">
        <DataTable
          label="Features"
          columns={['Feature', 'Test', num('Statistic'), num('p-value'), num('Threshold'), 'Verdict']}
        >
          {report.features.map((f) => (
            <tr
              key={f.feature}
              className={`clickable ${f.feature === picked ? 'selected' : ''}`}
              tabIndex={0}
              data-feature={f.feature}
              onClick={() => setPicked(f.feature)}
              onKeyDown={(e) => e.key === 'Enter' && setPicked(f.feature)}
            >
              <td>{f.feature}</td>
              <td className="muted">{f.test ? TESTS[f.test] : f.skipped}</td>
              <td className="num">{fixed(f.statistic)}</td>
              <td className="num">{fixed(f.pValue)}</td>
              <td className="num">{fixed(f.threshold)}</td>
              <td>{verdict(f)}</td>
            </tr>
          ))}
        </DataTable>
      </div>
      {detail && <FeatureDetail key={detail.feature} result={detail} />}
    </section>
  );
}
