/** Every filter of the traces and spans APIs, bound to the URL. */
import { OUTPUT_HEALTH_FLAGS, SPAN_KINDS } from '@argus/shared';
import { useState } from 'react';
import { FacetInput } from '../../components/FacetInput.tsx';
import { FilterInput } from '../../components/FilterInput.tsx';
import { SelectField } from '../../components/FormControls.tsx';
import type { TimeWindow } from '../../lib/time-range.ts';
import { FILTER_KEYS, STATUSES, type ViewParams } from '../../lib/url-state.ts';
import { type Facets, useFacets } from '../../lib/use-facets.ts';

/** Props of {@link ExplorerFilters}. */
export interface ExplorerFiltersProps {
  params: ViewParams;
  timeWindow: TimeWindow;
  onChange: (patch: Partial<ViewParams>) => void;
}

const toNumber = (v: string | undefined) =>
  v === undefined || !Number.isFinite(Number(v)) ? undefined : Number(v);

/** The filters with suggestions from the window's facets: key, label and width. */
const FACETS = [
  ['service', 'Service', undefined],
  ['environment', 'Environment', 'narrow'],
  ['model', 'Model', 'wide'],
  ['provider', 'Provider', 'narrow'],
] as const satisfies readonly (readonly [keyof Facets, string, string | undefined])[];

/** The numeric lower and upper bounds: key and label. */
const NUMBERS = [
  ['minDurationMs', 'Min ms'],
  ['maxDurationMs', 'Max ms'],
  ['minCostUsd', 'Min cost $'],
] as const;

/** The filter bar. */
export function ExplorerFilters({ params, timeWindow, onChange }: ExplorerFiltersProps) {
  const [isWanted, setWanted] = useState(false);
  const facets = useFacets(timeWindow, isWanted);
  const want = () => setWanted(true);
  const active = FILTER_KEYS.filter((k) => k !== 'q' && params[k] !== undefined);
  return (
    <section className="filterbar" aria-label="Filters">
      {FACETS.map(([key, label, width]) => (
        <FacetInput
          key={key}
          onFocus={want}
          label={label}
          className={width}
          values={params[key]}
          suggestions={facets?.[key]}
          onChange={(v) => onChange({ [key]: v })}
        />
      ))}
      <SelectField
        label="Kind"
        width="narrow"
        name="kind"
        options={[['', 'any'], ...SPAN_KINDS]}
        value={params.kind?.[0] ?? ''}
        onValue={(kind) => onChange({ kind: kind ? [kind] : undefined })}
      />
      <SelectField
        label="Status"
        width="narrow"
        name="status"
        options={[['', 'any'], ...STATUSES]}
        value={params.status ?? ''}
        onValue={(status) => onChange({ status: status || undefined })}
      />
      <SelectField
        label="Output"
        width="narrow"
        name="outputFlag"
        options={[['', 'any'], ...OUTPUT_HEALTH_FLAGS.map((f) => [f, f.replace('_', ' ')] as const)]}
        value={params.outputFlag ?? ''}
        onValue={(flag) => onChange({ outputFlag: flag || undefined })}
      />
      <FilterInput label="User" value={params.userId} onChange={(v) => onChange({ userId: v })} />
      <FilterInput label="Session" value={params.sessionId} onChange={(v) => onChange({ sessionId: v })} />
      <FilterInput label="Tag" className="narrow" value={params.tag} onChange={(v) => onChange({ tag: v })} />
      {NUMBERS.map(([key, label]) => (
        <FilterInput
          key={key}
          label={label}
          type="number"
          className="narrow"
          value={params[key]}
          onChange={(v) => onChange({ [key]: toNumber(v) })}
        />
      ))}
      {active.length > 0 && (
        <button
          type="button"
          className="btn ghost"
          onClick={() =>
            onChange(Object.fromEntries(active.map((k) => [k, undefined])) as Partial<ViewParams>)
          }
        >
          Clear {active.length} filter{active.length > 1 ? 's' : ''}
        </button>
      )}
    </section>
  );
}
