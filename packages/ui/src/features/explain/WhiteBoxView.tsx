/**
 * The white-box views of a local model's span (docs/explainability.md, "White box"): the token ×
 * token attention heatmap with a layer and head selector, per-token attribution bars, and the
 * per-layer profile with slow or large layers marked.
 */
import type { Span } from '@argus/shared';
import { useState } from 'react';
import {
  type AttentionMap,
  type LayerStats,
  outlierLayers,
  type TokenAttribution,
  whiteBoxOf,
} from './white-box.ts';

const labelOf = (m: AttentionMap) =>
  m.aggregation ? m.aggregation : m.layer < 0 ? 'aggregate' : `layer ${m.layer}`;
const headOf = (m: AttentionMap) => (m.head < 0 ? 'mean' : `head ${m.head}`);

function AttentionHeatmap({ maps }: { maps: AttentionMap[] }) {
  const layers = [...new Set(maps.map(labelOf))];
  const [layer, setLayer] = useState(layers[0]!);
  const heads = maps.filter((m) => labelOf(m) === layer);
  const [head, setHead] = useState(headOf(heads[0]!));
  const map = heads.find((m) => headOf(m) === head) ?? heads[0]!;
  const n = map.tokens.length;
  // Tokens repeat: a token's position is its identity.
  const columns = map.tokens.map((token, position) => ({ token, position }));
  const rows = map.weights.map((row, position) => ({
    position,
    cells: row.map((w, column) => ({ w, column })),
  }));
  return (
    <section className="panel" aria-label="Attention">
      <div className="panel-head row" style={{ gap: 12 }}>
        <span>Attention</span>
        <label className="row" style={{ gap: 4 }}>
          <span aria-hidden="true">Layer</span>
          <select
            className="select"
            aria-label="Layer"
            value={layer}
            onChange={(e) => setLayer(e.target.value)}
          >
            {layers.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <label className="row" style={{ gap: 4 }}>
          <span aria-hidden="true">Head</span>
          <select
            className="select"
            aria-label="Head"
            value={headOf(map)}
            onChange={(e) => setHead(e.target.value)}
          >
            {heads.map((m) => (
              <option key={headOf(m)}>{headOf(m)}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="panel-body attention-scroll">
        <div
          className="attention-grid"
          role="img"
          aria-label={`Attention of ${labelOf(map)}, ${headOf(map)}: rows attend to columns`}
          style={{ gridTemplateColumns: `auto repeat(${n}, 18px)` }}
        >
          <span />
          {columns.map(({ token, position }) => (
            <span key={`c${position}`} className="attention-col" title={token}>
              {token}
            </span>
          ))}
          {rows.map(({ position: i, cells }) => [
            <span key={`r${i}`} className="attention-row" title={map.tokens[i]}>
              {map.tokens[i]}
            </span>,
            ...cells.map(({ w, column: j }) => (
              <span
                key={`${i}:${j}`}
                className="attention-cell"
                data-weight={w}
                title={`${map.tokens[i]} → ${map.tokens[j]}: ${w.toFixed(3)}`}
                style={{ background: `rgba(255, 153, 0, ${Math.min(1, Math.max(0, w)).toFixed(3)})` }}
              />
            )),
          ])}
        </div>
      </div>
    </section>
  );
}

function AttributionBars({ attribution }: { attribution: TokenAttribution }) {
  const top = Math.max(...attribution.scores.map(Math.abs), 1e-9);
  return (
    <section className="panel" aria-label="Token attribution">
      <div className="panel-head">
        Token attribution · {attribution.method}
        {attribution.target ? ` · for "${attribution.target}"` : ''}
      </div>
      <div className="panel-body token-bars">
        {attribution.tokens
          .map((t, position) => ({ t, position, s: attribution.scores[position]! }))
          .map(({ t, position, s }) => {
            return (
              <div key={position} className="token-bar" data-score={s}>
                <span className="token-bar-label">{t}</span>
                <span
                  className={`token-bar-fill ${s >= 0 ? 'pos' : 'neg'}`}
                  style={{ width: `${(Math.abs(s) / top) * 100}%` }}
                />
                <span className="muted">{s.toFixed(3)}</span>
              </div>
            );
          })}
      </div>
    </section>
  );
}

function LayerProfile({ layers }: { layers: LayerStats[] }) {
  const slow = outlierLayers(layers, 'timeMs');
  const large = outlierLayers(layers, 'activationNorm');
  const maxTime = Math.max(...layers.map((l) => l.timeMs), 1e-9);
  return (
    <section className="panel" aria-label="Layer profile">
      <div className="panel-head">Per-layer profile</div>
      <div className="panel-body">
        <table className="table">
          <thead>
            <tr>
              <th>Layer</th>
              <th style={{ width: 200 }}>Time</th>
              <th>Activation norm</th>
              <th>Saturation</th>
            </tr>
          </thead>
          <tbody>
            {layers.map((l) => (
              <tr key={l.layer} data-layer={l.layer} data-outlier={slow.has(l.layer) || large.has(l.layer)}>
                <td>{l.layer}</td>
                <td>
                  <div className="bar" aria-hidden="true">
                    <span style={{ width: `${(l.timeMs / maxTime) * 100}%` }} />
                  </div>
                  {l.timeMs.toFixed(2)} ms {slow.has(l.layer) && <span className="chip error">slow</span>}
                </td>
                <td>
                  {l.activationNorm.toFixed(2)}{' '}
                  {large.has(l.layer) && <span className="chip error">large</span>}
                </td>
                <td>{(l.saturation * 100).toFixed(1)} %</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The white-box views, or nothing when the span carries no such events. */
export function WhiteBoxView({ span }: { span: Span }) {
  const box = whiteBoxOf(span.events);
  if (box.attention.length + box.attributions.length + box.layers.length === 0) return null;
  return (
    <div className="stack">
      {box.attention.length > 0 && <AttentionHeatmap maps={box.attention} />}
      {box.attributions.map((a) => (
        <AttributionBars key={`${a.method}:${a.target ?? ''}`} attribution={a} />
      ))}
      {box.layers.length > 0 && <LayerProfile layers={box.layers} />}
    </div>
  );
}
