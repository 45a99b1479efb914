/**
 * The detail panel of the selected span: a header (with "Add to dataset" for members) and three
 * tabs (content, details, raw).
 */
import { useState } from 'react';
import type { Score, Span } from '../../api-types.ts';
import { JsonTree } from '../../components/JsonTree.tsx';
import { formatCostExact, formatDuration } from '../../lib/format.ts';
import { useCan } from '../account/auth-context.ts';
import { AddToDatasetDialog } from '../datasets/AddToDatasetDialog.tsx';
import { ExplainTab } from '../explain/ExplainTab.tsx';
import { SpanInfo } from './SpanInfo.tsx';
import { SpanIO } from './SpanIO.tsx';

/** Tabs of the panel. */
export const SPAN_TABS = [
  { id: 'content', label: 'Content' },
  { id: 'details', label: 'Details' },
  { id: 'raw', label: 'Attributes' },
  { id: 'explain', label: 'Explain' },
] as const;

function Raw({ span }: { span: Span }) {
  const sections: [string, unknown][] = [
    ['Attributes', span.attributes],
    ['Resource attributes', span.resourceAttributes],
    ['Metadata', span.metadata],
    ['Events', span.events],
  ];
  return (
    <>
      {sections.map(([title, value]) =>
        value && (Array.isArray(value) ? value.length > 0 : Object.keys(value as object).length > 0) ? (
          <section className="panel" key={title} aria-label={title}>
            <div className="panel-head">{title}</div>
            <div className="panel-body">
              <JsonTree value={value} />
            </div>
          </section>
        ) : null,
      )}
      <details className="panel">
        <summary className="panel-head" style={{ cursor: 'pointer' }}>
          Whole span (JSON)
        </summary>
        <div className="panel-body">
          <JsonTree value={span} openDepth={1} />
        </div>
      </details>
    </>
  );
}

/** Props of {@link SpanDetail}. */
export interface SpanDetailProps {
  span: Span;
  scores: Score[];
  tab: string | undefined;
  onTab: (tab: string) => void;
}

/** The panel. */
export function SpanDetail({ span, scores, tab = 'content', onTab }: SpanDetailProps) {
  const model = span.responseModel || span.requestModel;
  const canWrite = useCan('write');
  const [isAdding, setAdding] = useState(false);
  return (
    <aside className="detail" aria-label="Span detail">
      <div className="detail-head">
        <h2>
          <span className={`kind kind-${span.kind}`}>{span.kind}</span>
          <span>{span.name}</span>
        </h2>
        <div className="row muted" style={{ fontSize: 12 }}>
          <span>{formatDuration(span.durationMs)}</span>
          {model && <span className="chip">{model}</span>}
          {span.inputTokens + span.outputTokens > 0 && (
            <span>
              {span.inputTokens} → {span.outputTokens} tokens
            </span>
          )}
          {span.costUsd > 0 && <span>{formatCostExact(span.costUsd)}</span>}
          {span.ttftMs !== undefined && <span>TTFT {formatDuration(span.ttftMs)}</span>}
          {span.perplexity !== undefined && (
            <span title="Perplexity: exp(−mean token logprob); 1 = every token certain">
              perplexity {span.perplexity.toFixed(2)}
            </span>
          )}
          {span.status === 'error' && <span className="chip error">{span.errorType || 'error'}</span>}
          <span className="spacer" style={{ flex: 1 }} />
          {canWrite.isAllowed && (
            <button
              type="button"
              className="btn small"
              title="Copy this span's input and output into a dataset item"
              onClick={() => setAdding(true)}
            >
              Add to dataset
            </button>
          )}
        </div>
      </div>
      {isAdding && (
        <AddToDatasetDialog
          spanId={span.spanId}
          spanName={span.name}
          startTime={span.startTime}
          onClose={() => setAdding(false)}
        />
      )}
      <div className="tabs" role="tablist">
        {SPAN_TABS.filter((t) => t.id !== 'explain' || span.kind === 'llm').map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            onClick={() => onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="detail-body" role="tabpanel">
        {tab === 'details' ? (
          <SpanInfo span={span} scores={scores} />
        ) : tab === 'raw' ? (
          <Raw span={span} />
        ) : tab === 'explain' && span.kind === 'llm' ? (
          <ExplainTab span={span} />
        ) : (
          <SpanIO span={span} />
        )}
      </div>
    </aside>
  );
}
