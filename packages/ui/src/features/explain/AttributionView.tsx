/**
 * An attribution result: the prompt with each segment tinted by its importance (the most
 * important darkest) and the list of variants — what the model answered without each segment.
 */
import type { AttributionResult } from '@argus/shared';

/** The tint of an importance (0–1). */
function tint(importance: number): string {
  return `rgba(255, 153, 0, ${(0.08 + 0.72 * importance).toFixed(3)})`;
}

/** The prompt highlighted by importance, message by message. */
export function PromptHighlight({ result }: { result: AttributionResult }) {
  const messages = [...new Set(result.segments.map((s) => s.messageIndex))];
  return (
    <section className="attribution-prompt" aria-label="Prompt by importance">
      {messages.map((m) => {
        const segments = result.segments.filter((s) => s.messageIndex === m);
        return (
          <div key={m} className="attribution-message">
            <span className="chip">{segments[0]?.role}</span>{' '}
            {segments.map((s) => (
              <mark
                key={s.index}
                className={`seg${s.index === result.top ? ' seg-top' : ''}`}
                data-importance={s.importance}
                title={`importance ${(s.importance * 100).toFixed(1)} % (effect ${s.effect.toFixed(3)})`}
                style={{ background: tint(s.importance) }}
              >
                {s.text}
              </mark>
            ))}
          </div>
        );
      })}
    </section>
  );
}

/** The variants: each removed segment, its importance and the answer without it. */
export function AttributionVariants({ result }: { result: AttributionResult }) {
  const ranked = [...result.segments].sort((a, b) => b.importance - a.importance);
  return (
    <table className="table" aria-label="Attribution variants">
      <thead>
        <tr>
          <th>Removed segment</th>
          <th style={{ width: 140 }}>Importance</th>
          <th>Answer without it</th>
        </tr>
      </thead>
      <tbody>
        {ranked.map((s) => (
          <tr key={s.index}>
            <td>{s.text}</td>
            <td>
              <div className="bar" aria-hidden="true">
                <span style={{ width: `${Math.round(s.importance * 100)}%` }} />
              </div>
              {(s.importance * 100).toFixed(1)} %
            </td>
            <td className="muted">{s.variantOutput ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The whole result. */
export function AttributionView({ result }: { result: AttributionResult }) {
  return (
    <section className="panel" aria-label="Attribution">
      <div className="panel-head">
        Attribution · {result.method} · {result.granularity} · {result.measure}
      </div>
      <div className="panel-body stack">
        <PromptHighlight result={result} />
        <p className="muted" style={{ fontSize: 12 }}>
          Replayed answer differs from the recorded one by {result.replayDistance.toFixed(3)} (noise floor);
          importances are the share of the total effect above it. They are estimates from replays.
        </p>
        <AttributionVariants result={result} />
      </div>
    </section>
  );
}
