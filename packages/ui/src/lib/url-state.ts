/**
 * The URL is the whole view state: page, the trace or session shown, time range, filters,
 * explorer columns and sort, the selected span and tab. This codec turns a location into a
 * typed {@link Route} and back, in one canonical parameter order so that links are stable.
 */

/** Pages of the console. */
export type PageId =
  | 'overview'
  | 'traces'
  | 'trace'
  | 'sessions'
  | 'session'
  | 'users'
  | 'models'
  | 'costs'
  | 'alerts'
  | 'alert'
  | 'settings'
  | 'datasets'
  | 'dataset'
  | 'experiments'
  | 'experiment'
  | 'compare'
  | 'quality'
  | 'queues'
  | 'queue'
  | 'drift'
  | 'explain'
  | 'gateway'
  | 'rules'
  | 'accept-invite'
  | 'notfound';

/** Relative time ranges offered by the picker. */
export const RANGE_PRESETS = ['15m', '1h', '6h', '24h', '7d'] as const;
/** A relative time range. */
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** Span statuses a filter can ask for. */
export const STATUSES = ['ok', 'error', 'unset'] as const;

/** Every view parameter; absent means the default. */
export interface ViewParams {
  range?: RangePreset;
  /** Custom range start/end, ISO 8601 (both set, or neither). */
  from?: string;
  to?: string;
  service?: string[];
  environment?: string[];
  model?: string[];
  provider?: string[];
  kind?: string[];
  status?: (typeof STATUSES)[number];
  userId?: string;
  sessionId?: string;
  tag?: string;
  /** Output-health flag the spans were flagged with (online/health). */
  outputFlag?: string;
  q?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  minCostUsd?: number;
  /** Explorer: list traces (default) or spans. */
  view?: 'traces' | 'spans';
  /** Explorer: visible column ids in order. */
  cols?: string[];
  /** Explorer: client-side sort, `column:asc` or `column:desc`. */
  sort?: string;
  /** Explorer: live tail. */
  live?: boolean;
  /** Trace view: the selected span. */
  span?: string;
  /** Trace view: the detail tab. */
  tab?: string;
  /** Models: the request model whose versions are compared. */
  compare?: string;
  /** Alerts: the rule open in the editor (`new` for a new rule). */
  rule?: string;
  /** Experiments: the dataset whose experiments are listed. */
  dataset?: string;
  /** Experiment compare: the two experiments. */
  baseline?: string;
  candidate?: string;
}

/** A parsed location. */
export interface Route {
  page: PageId;
  /**
   * Trace id, session id or rule id for `trace`, `session` and `alert`; dataset or experiment id
   * for `dataset` and `experiment`; the section of `settings`.
   */
  id?: string;
  params: ViewParams;
}

type Kind = 'list' | 'string' | 'number' | 'flag';

// Canonical order of the query string.
const SPEC: readonly (readonly [keyof ViewParams, Kind])[] = [
  ['view', 'string'],
  ['range', 'string'],
  ['from', 'string'],
  ['to', 'string'],
  ['service', 'list'],
  ['environment', 'list'],
  ['model', 'list'],
  ['provider', 'list'],
  ['kind', 'list'],
  ['status', 'string'],
  ['userId', 'string'],
  ['sessionId', 'string'],
  ['tag', 'string'],
  ['outputFlag', 'string'],
  ['q', 'string'],
  ['minDurationMs', 'number'],
  ['maxDurationMs', 'number'],
  ['minCostUsd', 'number'],
  ['cols', 'string'],
  ['sort', 'string'],
  ['live', 'flag'],
  ['compare', 'string'],
  ['rule', 'string'],
  ['dataset', 'string'],
  ['baseline', 'string'],
  ['candidate', 'string'],
  ['span', 'string'],
  ['tab', 'string'],
];

/** Filter parameters sent to the API as they are (repeatable ones are lists). */
export const FILTER_KEYS = [
  'service',
  'environment',
  'model',
  'provider',
  'kind',
  'status',
  'userId',
  'sessionId',
  'tag',
  'outputFlag',
  'q',
  'minDurationMs',
  'maxDurationMs',
  'minCostUsd',
] as const satisfies readonly (keyof ViewParams)[];

const TOP_PAGES: Record<string, PageId> = {
  '': 'overview',
  traces: 'traces',
  sessions: 'sessions',
  users: 'users',
  models: 'models',
  costs: 'costs',
  alerts: 'alerts',
  settings: 'settings',
  datasets: 'datasets',
  experiments: 'experiments',
  quality: 'quality',
  queues: 'queues',
  drift: 'drift',
  explain: 'explain',
  gateway: 'gateway',
  rules: 'rules',
  'accept-invite': 'accept-invite',
};

/** Parses a pathname and query string into a route; unknown or malformed values are dropped. */
export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(safeDecode);
  const params = parseParams(new URLSearchParams(search));
  const [first = '', second, ...rest] = parts;
  if (rest.length > 0) return { page: 'notfound', params };
  if (second !== undefined) {
    if (first === 'traces' && second) return { page: 'trace', id: second, params };
    if (first === 'sessions' && second) return { page: 'session', id: second, params };
    if (first === 'alerts' && second) return { page: 'alert', id: second, params };
    if (first === 'settings' && second) return { page: 'settings', id: second, params };
    if (first === 'datasets' && second) return { page: 'dataset', id: second, params };
    if (first === 'experiments' && second === 'compare') return { page: 'compare', params };
    if (first === 'experiments' && second) return { page: 'experiment', id: second, params };
    if (first === 'queues' && second) return { page: 'queue', id: second, params };
    return { page: 'notfound', params };
  }
  return { page: TOP_PAGES[first] ?? 'notfound', params };
}

/** Formats a route as `path?query`, parameters in canonical order, defaults left out. */
export function formatRoute(route: Route): string {
  const query = formatParams(route.params);
  return pathOf(route) + (query ? `?${query}` : '');
}

/** The path of a route without its query. */
export function pathOf(route: Pick<Route, 'page' | 'id'>): string {
  const id = encodeURIComponent(route.id ?? '');
  switch (route.page) {
    case 'overview':
      return '/';
    case 'trace':
      return `/traces/${id}`;
    case 'session':
      return `/sessions/${id}`;
    case 'alert':
      return `/alerts/${id}`;
    case 'settings':
      return route.id ? `/settings/${id}` : '/settings';
    case 'dataset':
      return `/datasets/${id}`;
    case 'experiment':
      return `/experiments/${id}`;
    case 'compare':
      return '/experiments/compare';
    case 'queue':
      return `/queues/${id}`;
    case 'notfound':
      return '/404';
    default:
      return `/${route.page}`;
  }
}

/** Parses view parameters from a query string. */
export function parseParams(search: URLSearchParams): ViewParams {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of SPEC) {
    if (kind === 'list') {
      const values = search
        .getAll(key)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
      if (values.length > 0) out[key] = [...new Set(values)];
      continue;
    }
    const raw = search.get(key);
    if (raw === null || raw === '') continue;
    if (kind === 'number') {
      const n = Number(raw);
      if (Number.isFinite(n) && n >= 0) out[key] = n;
    } else if (kind === 'flag') {
      if (raw === '1' || raw === 'true') out[key] = true;
    } else {
      out[key] = raw;
    }
  }
  return validate(out as ViewParams);
}

function validate(params: ViewParams): ViewParams {
  const p = { ...params };
  if (p.range !== undefined && !(RANGE_PRESETS as readonly string[]).includes(p.range)) delete p.range;
  if (p.status !== undefined && !(STATUSES as readonly string[]).includes(p.status)) delete p.status;
  if (p.view !== undefined && p.view !== 'traces' && p.view !== 'spans') delete p.view;
  if (p.from !== undefined || p.to !== undefined) {
    const from = p.from ? Date.parse(p.from) : Number.NaN;
    const to = p.to ? Date.parse(p.to) : Number.NaN;
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
      delete p.from;
      delete p.to;
    } else {
      delete p.range;
    }
  }
  if (p.cols !== undefined) {
    const cols = (p.cols as unknown as string).split(',').filter(Boolean);
    if (cols.length > 0) p.cols = cols;
    else delete p.cols;
  }
  return p;
}

/** Formats view parameters as a query string (no leading `?`). */
export function formatParams(params: ViewParams): string {
  const search = new URLSearchParams();
  for (const [key, kind] of SPEC) {
    const value = params[key];
    if (value === undefined || value === '' || value === false) continue;
    if (kind === 'list') {
      for (const v of value as string[]) if (v) search.append(key, v);
    } else if (key === 'cols') {
      if ((value as string[]).length > 0) search.set(key, (value as string[]).join(','));
    } else if (kind === 'flag') {
      search.set(key, '1');
    } else {
      search.set(key, String(value));
    }
  }
  return search.toString();
}

/** Returns params with `patch` applied; `undefined` or empty values remove a key. */
export function patchParams(params: ViewParams, patch: Partial<ViewParams>): ViewParams {
  const out: Record<string, unknown> = { ...params };
  for (const [key, value] of Object.entries(patch)) {
    const isEmpty =
      value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0);
    if (isEmpty) delete out[key];
    else out[key] = value;
  }
  return out as ViewParams;
}

/** The parameters that follow the user from page to page: time range and the global filters. */
export function sharedParams(params: ViewParams): ViewParams {
  const { range, from, to, service, environment, model, provider } = params;
  return patchParams({}, { range, from, to, service, environment, model, provider });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
