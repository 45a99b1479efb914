/** Version boundaries of a request model and the before/after windows around one. */
import type { ModelSummary } from '../../api-types.ts';
import type { TimeWindow } from '../../lib/time-range.ts';

/** The versions (response models) of a request model, oldest first-seen first. */
export function versionsOf(models: readonly ModelSummary[], requestModel: string): ModelSummary[] {
  return models
    .filter((m) => m.requestModel === requestModel && m.responseModel)
    .sort((a, b) => Date.parse(a.firstSeen) - Date.parse(b.firstSeen));
}

/** Request models answered by two or more versions in the window. */
export function modelsWithSeveralVersions(models: readonly ModelSummary[]): string[] {
  const counts = new Map<string, Set<string>>();
  for (const m of models) {
    if (!m.responseModel) continue;
    const set = counts.get(m.requestModel) ?? new Set<string>();
    set.add(m.responseModel);
    counts.set(m.requestModel, set);
  }
  return [...counts]
    .filter(([, versions]) => versions.size > 1)
    .map(([model]) => model)
    .sort();
}

/**
 * Equal windows before and after `boundaryMs`, as long as the view allows on both sides;
 * undefined when either side would be under a minute.
 */
export function compareWindows(
  view: TimeWindow,
  boundaryMs: number,
): { before: TimeWindow; after: TimeWindow } | undefined {
  const length = Math.min(boundaryMs - view.fromMs, view.toMs - boundaryMs);
  if (!(length >= 60_000)) return undefined;
  return {
    before: { fromMs: boundaryMs - length, toMs: boundaryMs },
    after: { fromMs: boundaryMs, toMs: boundaryMs + length },
  };
}
