/**
 * A counterfactual result: each variant's answer beside the replayed original, with a word diff,
 * its similarity and whether the answer changed.
 */
import type { CounterfactualResult } from '@argus/shared';
import { wordDiff } from './word-diff.ts';

function Diff({ before, after, side }: { before: string; after: string; side: 'before' | 'after' }) {
  const hidden = side === 'before' ? 'added' : 'removed';
  return (
    <div className="cf-text">
      {wordDiff(before, after)
        .map((p, at) => ({ ...p, at }))
        .filter((p) => p.kind !== hidden)
        .map((p) =>
          p.kind === 'same' ? (
            <span key={p.at}>{p.text}</span>
          ) : (
            <mark key={p.at} className={`diff-${p.kind}`}>
              {p.text}
            </mark>
          ),
        )}
    </div>
  );
}

/** The variants side by side. */
export function CounterfactualView({ result }: { result: CounterfactualResult }) {
  return (
    <section className="panel" aria-label="Counterfactuals">
      <div className="panel-head">
        Counterfactuals · {result.changedCount} of {result.variants.length} changed the answer
      </div>
      <div className="panel-body stack">
        {result.variants.map((v) => (
          <div
            key={`${v.group ?? ''}:${v.substitutions.map((s) => `${s.from}>${s.to}`).join(',')}`}
            className="cf-variant"
            data-changed={v.changed}
          >
            <div className="row" style={{ gap: 8, fontSize: 12 }}>
              {v.group && <span className="chip">{v.group}</span>}
              <span>{v.substitutions.map((s) => `${s.from} → ${s.to}`).join(', ')}</span>
              <span className="muted">similarity {v.similarity.toFixed(2)}</span>
              {v.labelFlipped && <span className="chip error">label flipped</span>}
              <span className={`chip${v.changed ? ' error' : ''}`}>{v.changed ? 'changed' : 'same'}</span>
            </div>
            <div className="cf-columns">
              <div>
                <div className="muted cf-title">Original</div>
                <Diff before={result.replayOutput} after={v.output} side="before" />
              </div>
              <div>
                <div className="muted cf-title">Variant</div>
                <Diff before={result.replayOutput} after={v.output} side="after" />
              </div>
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
