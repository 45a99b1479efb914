/** The filters shared by the overview, models and costs pages: service, environment, model, provider. */
import { type ReactNode, useState } from 'react';
import type { TimeWindow } from '../lib/time-range.ts';
import type { ViewParams } from '../lib/url-state.ts';
import { useFacets } from '../lib/use-facets.ts';
import { FacetInput } from './FacetInput.tsx';
import { PageHeader } from './PageHeader.tsx';
import { TimeRangePicker } from './TimeRangePicker.tsx';

/** Props of {@link GlobalFilters}. */
export interface GlobalFiltersProps {
  params: ViewParams;
  timeWindow: TimeWindow;
  onChange: (patch: Partial<ViewParams>) => void;
}

/** The four facets of {@link GlobalFilters}, in order. */
export const GLOBAL_FACETS = [
  { key: 'service', label: 'Service', className: '' },
  { key: 'environment', label: 'Environment', className: '' },
  { key: 'model', label: 'Model', className: 'wide' },
  { key: 'provider', label: 'Provider', className: '' },
] as const;

/** Four facet inputs; their suggestions load when one is first focused. */
export function GlobalFilters({ params, timeWindow, onChange }: GlobalFiltersProps) {
  const [isWanted, setWanted] = useState(false);
  const facets = useFacets(timeWindow, isWanted);
  return (
    <section className="filterbar" aria-label="Filters">
      {GLOBAL_FACETS.map(({ key, label, className }) => (
        <FacetInput
          key={key}
          label={label}
          className={className}
          values={params[key]}
          suggestions={facets?.[key]}
          onFocus={() => setWanted(true)}
          onChange={(v) => onChange({ [key]: v })}
        />
      ))}
    </section>
  );
}

/**
 * The head of a page over a time window: its title, `children` (controls of its own), the time
 * range picker, then the {@link GlobalFilters} bar below.
 */
export function FilteredHeader({
  title,
  children,
  ...filters
}: GlobalFiltersProps & { title: string; children?: ReactNode }) {
  return (
    <>
      <PageHeader title={title}>
        {children}
        <TimeRangePicker params={filters.params} onChange={filters.onChange} />
      </PageHeader>
      <GlobalFilters {...filters} />
    </>
  );
}
