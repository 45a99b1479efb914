/** Facts about a span: timing, model and parameters, tokens, cost, finish reasons, error, scores. */
import type { ReactNode } from 'react';
import type { Score, Span } from '../../api-types.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ProblemBox } from '../../components/States.tsx';
import { formatCostExact, formatCount, formatDuration } from '../../lib/format.ts';

function Row({ label, children }: { label: string; children: ReactNode }) {
  if (children === undefined || children === null || children === '' || children === false) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function params(span: Span): string {
  return Object.entries(span.params ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? JSON.stringify(v) : String(v)}`)
    .join('  ');
}

/** Scores of a span or trace. */
export function Scores({ scores }: { scores: Score[] }) {
  if (scores.length === 0) return null;
  return (
    <section className="panel" aria-label="Scores">
      <div className="panel-head">Scores</div>
      <table className="table">
        <tbody>
          {scores.map((s) => (
            <tr key={s.scoreId}>
              <td>{s.name}</td>
              <td className="num">{s.stringValue || s.value}</td>
              <td className="muted">{s.source}</td>
              <td className="muted" title={s.comment}>
                {s.comment}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The details tab. */
export function SpanInfo({ span, scores }: { span: Span; scores: Score[] }) {
  const isModelCall = span.kind === 'llm' || span.kind === 'embedding';
  return (
    <>
      {span.status === 'error' && (
        <ProblemBox title={span.errorType || 'Error'}>
          {span.statusMessage || 'The span ended with an error status.'}
        </ProblemBox>
      )}
      <dl className="kv-grid">
        <Row label="Duration">{formatDuration(span.durationMs)}</Row>
        <Row label="Start">{span.startTime}</Row>
        {isModelCall && (
          <Row label="Time to first token">{span.ttftMs !== undefined && formatDuration(span.ttftMs)}</Row>
        )}
        {isModelCall && (
          <Row label="Output speed">
            {span.tokensPerSecond !== undefined && `${span.tokensPerSecond.toFixed(1)} tokens/s`}
          </Row>
        )}
        <Row label="Provider">{span.provider}</Row>
        <Row label="Operation">{span.operation}</Row>
        <Row label="Request model">{span.requestModel}</Row>
        <Row label="Response model">{span.responseModel}</Row>
        <Row label="Parameters">{params(span) && <code>{params(span)}</code>}</Row>
        {isModelCall && (
          <Row label="Tokens">
            {formatCount(span.inputTokens)} in · {formatCount(span.outputTokens)} out
            {span.cacheReadTokens > 0 && ` · ${formatCount(span.cacheReadTokens)} cached`}
            {span.cacheWriteTokens > 0 && ` · ${formatCount(span.cacheWriteTokens)} cache write`}
            {span.reasoningTokens > 0 && ` · ${formatCount(span.reasoningTokens)} reasoning`}
            {span.tokensEstimated && (
              <span className="chip" style={{ marginLeft: 6 }}>
                estimated
              </span>
            )}
          </Row>
        )}
        {(isModelCall || span.costUsd > 0) && (
          <Row label="Cost">
            {formatCostExact(span.costUsd)}
            {span.costUsd > 0 &&
              ` (${formatCostExact(span.inputCostUsd)} in · ${formatCostExact(span.outputCostUsd)} out)`}
            <span className="faint"> · {span.costSource}</span>
          </Row>
        )}
        <Row label="Finish reasons">{span.finishReasons.length > 0 && span.finishReasons.join(', ')}</Row>
        <Row label="Tool">
          {span.toolName && `${span.toolName}${span.toolCallId ? ` (${span.toolCallId})` : ''}`}
        </Row>
        <Row label="Response id">{span.responseId}</Row>
        <Row label="Service">{`${span.serviceName}${span.serviceVersion ? ` ${span.serviceVersion}` : ''}`}</Row>
        <Row label="Environment">{span.environment}</Row>
        <Row label="User">{span.userId}</Row>
        <Row label="Session">{span.sessionId}</Row>
        <Row label="Tags">
          {span.tags.length > 0 &&
            span.tags.map((t) => (
              <span key={t} className="chip" style={{ marginRight: 4 }}>
                {t}
              </span>
            ))}
        </Row>
        <Row label="Convention">{span.convention}</Row>
        <Row label="Scope">{span.scope}</Row>
        <Row label="Span id">
          <span className="mono">{span.spanId}</span> <CopyButton text={span.spanId} label="Copy" />
        </Row>
        <Row label="Parent">{span.parentSpanId && <span className="mono">{span.parentSpanId}</span>}</Row>
      </dl>
      <Scores scores={scores} />
    </>
  );
}
