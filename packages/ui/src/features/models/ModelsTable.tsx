/** The models table: one row per provider, request model and response version; a row opens its traces. */
import type { ModelSummary } from '@argus/shared';
import { ClickableRow, DataTable, num } from '../../components/DataTable.tsx';
import {
  formatAgo,
  formatCost,
  formatCount,
  formatDuration,
  formatPercent,
  formatTime,
} from '../../lib/format.ts';

/** One model version. */
function ModelRow({
  m,
  isComparable,
  onDrill,
  onCompare,
}: {
  m: ModelSummary;
  isComparable: boolean;
  onDrill: (model: string) => void;
  onCompare: (requestModel: string) => void;
}) {
  return (
    <ClickableRow onOpen={() => onDrill(m.responseModel || m.requestModel)}>
      <td className="muted">{m.provider || '–'}</td>
      <td>{m.requestModel || '–'}</td>
      <td>
        {m.responseModel || <span className="faint">not reported</span>}
        {isComparable && (
          <button
            type="button"
            className="btn ghost small"
            style={{ marginLeft: 6 }}
            onClick={(e) => {
              e.stopPropagation();
              onCompare(m.requestModel);
            }}
          >
            compare
          </button>
        )}
      </td>
      <td className="num">{formatCount(m.requests)}</td>
      <td className={`num ${m.errors ? 'error-text' : ''}`}>{formatPercent(m.errorRate)}</td>
      <td className="num">{formatDuration(m.latencyP50)}</td>
      <td className="num">{formatDuration(m.latencyP95)}</td>
      <td className="num">{m.ttftP50 ? formatDuration(m.ttftP50) : '–'}</td>
      <td className="num">
        {formatCount(m.inputTokens)} / {formatCount(m.outputTokens)}
      </td>
      <td className="num">{formatCost(m.costUsd)}</td>
      <td className="num muted">{formatTime(m.firstSeen)}</td>
      <td className="num muted">{formatAgo(m.lastSeen)}</td>
    </ClickableRow>
  );
}

/** The table; `comparable` are the request models with several versions (a compare button each). */
export function ModelsTable({
  rows,
  comparable,
  onDrill,
  onCompare,
}: {
  rows: ModelSummary[];
  comparable: string[];
  onDrill: (model: string) => void;
  onCompare: (requestModel: string) => void;
}) {
  return (
    <section className="panel">
      <div className="table-wrap">
        <DataTable
          label="Models"
          columns={[
            'Provider',
            'Request model',
            { label: 'Version', title: 'The response model the provider answered with' },
            num('LLM calls'),
            num('Errors'),
            num('p50'),
            num('p95'),
            num('TTFT p50'),
            num('Tokens in/out'),
            num('Cost'),
            num('First seen'),
            num('Last seen'),
          ]}
        >
          {rows.map((m) => (
            <ModelRow
              key={`${m.provider}|${m.requestModel}|${m.responseModel}`}
              m={m}
              isComparable={comparable.includes(m.requestModel)}
              onDrill={onDrill}
              onCompare={onCompare}
            />
          ))}
        </DataTable>
      </div>
    </section>
  );
}
