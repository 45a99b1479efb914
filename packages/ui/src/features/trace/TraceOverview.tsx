/**
 * The view a trace opens on: what the trace was asked and what it answered (see trace-io.ts),
 * each with a link to the span it came from (the header strip carries the trace's scores).
 */
import type { Span } from '../../api-types.ts';
import { ProblemBox } from '../../components/States.tsx';
import { formatDuration } from '../../lib/format.ts';
import { Content } from './SpanIO.tsx';
import type { TraceIO, TraceSide } from './trace-io.ts';

function Side({
  title,
  side,
  root,
  onOpen,
}: {
  title: 'Input' | 'Output';
  side: TraceSide;
  root: Span | undefined;
  onOpen: (spanId: string) => void;
}) {
  const isRoot = side.span.spanId === root?.spanId;
  return (
    <section aria-label={`Trace ${title.toLowerCase()}`} className="trace-side">
      <div className="trace-side-head">
        <span className="section-label">{title}</span>
        {!isRoot && (
          <button type="button" className="btn ghost small" onClick={() => onOpen(side.span.spanId)}>
            from <span className={`kind kind-${side.span.kind}`}>{side.span.kind}</span> {side.span.name}
          </button>
        )}
      </div>
      <Content title={title} value={side.value} />
    </section>
  );
}

/** Props of {@link TraceOverview}. */
export interface TraceOverviewProps {
  io: TraceIO;
  root: Span | undefined;
  totalMs: number;
  onOpen: (spanId: string) => void;
}

/** The detail panel of the trace as a whole. */
export function TraceOverview({ io, root, totalMs, onOpen }: TraceOverviewProps) {
  return (
    <aside className="detail" aria-label="Trace detail">
      <div className="detail-head">
        <h2>
          <span className="chip">trace</span>
          <span>{root?.name ?? 'Trace'}</span>
        </h2>
        <div className="row muted" style={{ fontSize: 12 }}>
          <span>{formatDuration(totalMs)}</span>
          <span className="faint">Select a span in the tree for its own content and details</span>
        </div>
      </div>
      <div className="detail-body">
        {io.error && (
          <ProblemBox title={`${io.error.errorType || 'Error'} in ${io.error.name}`}>
            {io.error.statusMessage || 'The span ended with an error status.'}{' '}
            <button type="button" className="link-button" onClick={() => onOpen(io.error!.spanId)}>
              Open the span
            </button>
          </ProblemBox>
        )}
        {io.input && <Side title="Input" side={io.input} root={root} onOpen={onOpen} />}
        {io.output && <Side title="Output" side={io.output} root={root} onOpen={onOpen} />}
      </div>
    </aside>
  );
}
