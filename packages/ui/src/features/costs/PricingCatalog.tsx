/** The bundled pricing catalog with the date each price was checked against its source. */
import { useState } from 'react';
import { fetchPricing } from '../../api.ts';
import { DataTable, num } from '../../components/DataTable.tsx';
import { Async } from '../../components/States.tsx';
import { safeHref } from '../../lib/safe-href.ts';
import { useApi } from '../../lib/use-api.ts';

const price = (n: number | undefined) => (n === undefined ? '–' : `$${n}`);

/** The catalog table with a filter box. */
export function PricingCatalog() {
  const state = useApi('pricing', (signal) => fetchPricing(signal));
  const [filter, setFilter] = useState('');
  return (
    <Async state={state}>
      {(catalog) => {
        const needle = filter.trim().toLowerCase();
        const rows = catalog.data.filter(
          (m) =>
            !needle ||
            `${m.provider} ${m.model} ${(m.aliases ?? []).join(' ')}`.toLowerCase().includes(needle),
        );
        return (
          <div className="stack">
            <div className="row">
              <input
                className="input"
                placeholder="Filter models…"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                aria-label="Filter the pricing catalog"
              />
              <span className="muted">
                {rows.length} of {catalog.data.length} models · catalog {catalog.version}, checked{' '}
                {catalog.updatedAt}
              </span>
            </div>
            <div className="table-wrap">
              <DataTable
                label="Pricing catalog"
                columns={[
                  'Provider',
                  'Model',
                  num('Input $/MTok'),
                  num('Output $/MTok'),
                  num('Cache read'),
                  num('Cache write'),
                  num('Checked'),
                  'Source',
                ]}
              >
                {rows.map((m) => {
                  const href = safeHref(m.source);
                  return (
                    <tr key={`${m.provider}|${m.model}`}>
                      <td className="muted">{m.provider}</td>
                      <td title={[m.model, ...(m.aliases ?? [])].join(', ') + (m.note ? ` — ${m.note}` : '')}>
                        {m.model}
                      </td>
                      <td className="num">{price(m.inputPerMTok)}</td>
                      <td className="num">{price(m.outputPerMTok)}</td>
                      <td className="num">{price(m.cacheReadPerMTok)}</td>
                      <td className="num">{price(m.cacheWritePerMTok)}</td>
                      <td className="num muted">{m.checkedAt}</td>
                      <td>
                        {href ? (
                          <a href={href} target="_blank" rel="noopener noreferrer">
                            {new URL(href).hostname}
                          </a>
                        ) : (
                          m.source
                        )}
                      </td>
                    </tr>
                  );
                })}
              </DataTable>
            </div>
          </div>
        );
      }}
    </Async>
  );
}
