/**
 * Drift (`/drift`): compare the current window of LLM traffic with the period before it — the
 * verdict per feature, characteristic words and typical spans, the embedding projection and its
 * clusters — and the monitors that do it on a schedule, with their series.
 */
import { FilteredHeader } from '../../components/GlobalFilters.tsx';
import { navigate } from '../../lib/navigation.ts';
import { useTimeWindow } from '../../lib/refresh.ts';
import { patchParams, type Route, type ViewParams } from '../../lib/url-state.ts';
import '../../styles/drift.css';
import '../../styles/quality.css';
import { ComparePanel } from './ComparePanel.tsx';
import { MonitorsPanel } from './MonitorsPanel.tsx';

/** The drift page. */
export function DriftPage({ route }: { route: Route }) {
  const { params } = route;
  const timeWindow = useTimeWindow(params);
  const update = (patch: Partial<ViewParams>) => navigate({ ...route, params: patchParams(params, patch) });
  return (
    <>
      <FilteredHeader title="Drift" params={params} timeWindow={timeWindow} onChange={update} />
      <div className="content stack">
        <ComparePanel params={params} timeWindow={timeWindow} />
        <MonitorsPanel params={params} timeWindow={timeWindow} />
      </div>
    </>
  );
}
