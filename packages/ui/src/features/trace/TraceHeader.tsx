/** The trace summary strip: root, status, time, duration, size, tokens, cost, user and session. */
import type { Span, TraceDetail } from '../../api-types.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Link } from '../../components/Link.tsx';
import { formatCostExact, formatCount, formatDuration, shortId } from '../../lib/format.ts';
import { formatRoute, type ViewParams } from '../../lib/url-state.ts';

/** Sums of a trace's leaf model calls (agent spans that repeat their children are not counted twice). */
export function traceTotals(spans: readonly Span[]) {
  const isModel = (s: Span) => s.kind === 'llm' || s.kind === 'embedding';
  const modelParents = new Set(spans.filter(isModel).map((s) => s.parentSpanId));
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let llmCalls = 0;
  let errors = 0;
  for (const s of spans) {
    if (s.status === 'error') errors++;
    if (!isModel(s)) continue;
    llmCalls++;
    if (modelParents.has(s.spanId)) continue;
    inputTokens += s.inputTokens;
    outputTokens += s.outputTokens;
    costUsd += s.costUsd;
  }
  return { inputTokens, outputTokens, costUsd, llmCalls, errors };
}

function Kv({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="kv">
      <span>{label}</span>
      <span>{children}</span>
    </div>
  );
}

/** The strip. */
export function TraceHeader({
  trace,
  root,
  totalMs,
  params,
}: {
  trace: TraceDetail;
  root: Span | undefined;
  totalMs: number;
  params: ViewParams;
}) {
  const totals = traceTotals(trace.spans);
  const userId = root?.userId || trace.spans.find((s) => s.userId)?.userId;
  const sessionId = root?.sessionId || trace.spans.find((s) => s.sessionId)?.sessionId;
  const carried = { range: params.range, from: params.from, to: params.to };
  return (
    <div className="trace-head">
      <Kv label="Status">
        {totals.errors > 0 ? (
          <span className="chip error">
            {totals.errors} error{totals.errors > 1 ? 's' : ''}
          </span>
        ) : (
          <span className="chip ok">ok</span>
        )}
      </Kv>
      <Kv label="Started">
        {root ? new Date(root.startTime).toLocaleString(undefined, { hour12: false }) : '–'}
      </Kv>
      <Kv label="Duration">{formatDuration(totalMs)}</Kv>
      <Kv label="Spans">
        {trace.spans.length}
        {trace.truncated ? '+' : ''}
      </Kv>
      <Kv label="LLM calls">{totals.llmCalls}</Kv>
      <Kv label="Tokens">
        {formatCount(totals.inputTokens)} → {formatCount(totals.outputTokens)}
      </Kv>
      <Kv label="Cost">{formatCostExact(totals.costUsd)}</Kv>
      <Kv label="Service">{root?.serviceName ?? '–'}</Kv>
      {userId && (
        <Kv label="User">
          <Link to={formatRoute({ page: 'traces', params: { ...carried, userId } })}>{userId}</Link>
        </Kv>
      )}
      {sessionId && (
        <Kv label="Session">
          <Link to={formatRoute({ page: 'session', id: sessionId, params: carried })}>
            {shortId(sessionId, 12)}
          </Link>
        </Kv>
      )}
      {trace.scores
        .filter((s) => !s.spanId)
        .map((s) => (
          <Kv key={s.scoreId} label={`Score: ${s.name}`}>
            {s.stringValue || s.value}
          </Kv>
        ))}
      <span style={{ flex: 1 }} />
      <span className="mono faint">{trace.traceId}</span>
      <CopyButton text={trace.traceId} label="Copy id" />
    </div>
  );
}
