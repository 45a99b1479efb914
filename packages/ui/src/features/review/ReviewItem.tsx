/**
 * What a reviewer judges: the item's trace as the trace view shows a model call — its messages
 * as chat (input, then output) — with a link to the full trace. For a span item, that span; for
 * a trace, its root when the root carries the conversation, else its last LLM call.
 */
import type { QueueItem } from '@argus/shared';
import { fetchTrace } from '../../api.ts';
import type { Span } from '../../api-types.ts';
import { Link } from '../../components/Link.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { useApi } from '../../lib/use-api.ts';
import { Content } from '../trace/SpanIO.tsx';

function spanToReview(spans: readonly Span[], item: QueueItem): Span | undefined {
  if (item.objectType === 'span') return spans.find((s) => s.spanId === item.objectId);
  const root = spans.find((s) => s.parentSpanId === '');
  if (root && root.input !== undefined && root.output !== undefined) return root;
  // The last model call holds the final answer (and usually the whole conversation before it).
  return spans.findLast((s) => s.kind === 'llm') ?? root ?? spans[0];
}

/** The item's content. */
export function ReviewItem({ item }: { item: QueueItem }) {
  const traceId = item.traceId;
  const trace = useApi(traceId ? `review-trace:${traceId}` : undefined, (signal) =>
    fetchTrace(traceId ?? '', signal),
  );
  if (!traceId)
    return (
      <Empty title={`A ${item.objectType}`}>
        {item.objectType} {item.objectId} has no trace to show; score it from what you know of it.
      </Empty>
    );
  if (trace.error) return <ErrorBox error={trace.error} onRetry={trace.reload} />;
  if (!trace.data) return <Loading label="Loading the trace…" />;
  const span = spanToReview(trace.data.spans, item);
  return (
    <section className="stack review-item" aria-label="Item under review">
      <div className="row muted">
        <span className="chip">{item.objectType}</span>
        <Link
          to={`/traces/${encodeURIComponent(traceId)}${span ? `?span=${span.spanId}` : ''}`}
          className="mono"
        >
          {traceId}
        </Link>
        {span && <span>{span.name}</span>}
      </div>
      {span ? (
        <>
          <Content title="Input" value={span.input} />
          <Content title="Output" value={span.output} />
        </>
      ) : (
        <Empty title="Span not found">The trace no longer holds this span.</Empty>
      )}
    </section>
  );
}
