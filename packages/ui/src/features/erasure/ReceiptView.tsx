/** An erasure receipt: subject, status, times and what was deleted per table. */
import type { ErasureReceipt } from '@argus/shared';
import { formatCount } from '../../lib/format.ts';
import { deletedSummary } from './erasure-text.ts';

/** The receipt. */
export function ReceiptView({ receipt }: { receipt: ErasureReceipt }) {
  const d = receipt.deleted;
  return (
    <div className="stack" data-testid="erasure-receipt">
      <p role="status" style={{ margin: 0 }}>
        {receipt.status === 'completed' ? (
          <strong className="ok-text">Erased: {deletedSummary(d)}.</strong>
        ) : receipt.status === 'failed' ? (
          <strong className="error-text">
            The erasure failed{receipt.error ? `: ${receipt.error}` : ''}. Repeat it to finish.
          </strong>
        ) : (
          <strong>The erasure is still running.</strong>
        )}
      </p>
      <dl className="kv-grid">
        <dt>Receipt</dt>
        <dd className="mono">{receipt.id}</dd>
        <dt>Subject</dt>
        <dd>
          {receipt.subject.kind}
          {receipt.subject.value ? <span className="mono"> {receipt.subject.value}</span> : ' (id not kept)'}
        </dd>
        {receipt.requestedBy && (
          <>
            <dt>Requested by</dt>
            <dd>{receipt.requestedBy}</dd>
          </>
        )}
        <dt>Requested</dt>
        <dd>{new Date(receipt.requestedAt).toLocaleString(undefined, { hour12: false })}</dd>
        <dt>Completed</dt>
        <dd>
          {receipt.completedAt
            ? new Date(receipt.completedAt).toLocaleString(undefined, { hour12: false })
            : '—'}
        </dd>
      </dl>
      <table className="table auto" aria-label="Deleted rows">
        <thead>
          <tr>
            <th>Traces</th>
            <th className="num">Spans</th>
            <th className="num">Log records</th>
            <th className="num">Scores</th>
            <th className="num">Trace index rows</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{formatCount(d.traces)}</td>
            <td className="num">{formatCount(d.spans)}</td>
            <td className="num">{formatCount(d.logs)}</td>
            <td className="num">{formatCount(d.scores)}</td>
            <td className="num">{formatCount(d.traceIndex)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
