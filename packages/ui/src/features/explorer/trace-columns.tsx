/** Columns of the explorer's trace list. */
import type { TraceSummary } from '../../api-types.ts';
import { formatCost, formatCount, formatDuration, formatTime, shortId } from '../../lib/format.ts';
import { type Column, StatusDot } from './columns.tsx';

/** Trace list columns. */
export const TRACE_COLUMNS: Column<TraceSummary>[] = [
  {
    id: 'time',
    label: 'Time',
    width: '92px',
    render: (t) => formatTime(t.startTime),
    sortValue: (t) => t.startTime,
  },
  {
    id: 'status',
    label: '',
    width: '28px',
    render: (t) => <StatusDot status={t.status} />,
    sortValue: (t) => t.status,
  },
  {
    id: 'name',
    label: 'Name',
    width: 'minmax(140px, 1.2fr)',
    render: (t) => t.rootName || '(no root)',
    sortValue: (t) => t.rootName,
  },
  {
    id: 'service',
    label: 'Service',
    width: 'minmax(90px, 0.6fr)',
    render: (t) => t.serviceName,
    sortValue: (t) => t.serviceName,
  },
  {
    id: 'models',
    label: 'Models',
    width: 'minmax(100px, 0.7fr)',
    render: (t) => t.models.join(', '),
    sortValue: (t) => t.models.join(','),
  },
  {
    id: 'input',
    label: 'Input',
    width: 'minmax(160px, 2fr)',
    render: (t) => <span className="muted">{t.inputPreview}</span>,
    sortValue: (t) => t.inputPreview,
  },
  {
    id: 'output',
    label: 'Output',
    width: 'minmax(160px, 2fr)',
    render: (t) => <span className="muted">{t.outputPreview}</span>,
    sortValue: (t) => t.outputPreview,
  },
  {
    id: 'duration',
    label: 'Duration',
    width: '80px',
    isNumeric: true,
    render: (t) => formatDuration(t.durationMs),
    sortValue: (t) => t.durationMs,
  },
  {
    id: 'spans',
    label: 'Spans',
    width: '56px',
    isNumeric: true,
    render: (t) => formatCount(t.spanCount),
    sortValue: (t) => t.spanCount,
  },
  {
    id: 'errors',
    label: 'Errors',
    width: '56px',
    isNumeric: true,
    render: (t) => (t.errorCount ? <span className="error-text">{t.errorCount}</span> : '0'),
    sortValue: (t) => t.errorCount,
  },
  {
    id: 'tokens',
    label: 'Tokens',
    width: '70px',
    isNumeric: true,
    render: (t) => formatCount(t.totalTokens),
    sortValue: (t) => t.totalTokens,
  },
  {
    id: 'cost',
    label: 'Cost',
    width: '90px',
    isNumeric: true,
    render: (t) => formatCost(t.costUsd),
    sortValue: (t) => t.costUsd,
  },
  {
    id: 'user',
    label: 'User',
    width: 'minmax(80px, 0.6fr)',
    render: (t) => t.userId,
    sortValue: (t) => t.userId,
  },
  {
    id: 'session',
    label: 'Session',
    width: 'minmax(80px, 0.6fr)',
    render: (t) => t.sessionId,
    sortValue: (t) => t.sessionId,
  },
  {
    id: 'traceId',
    label: 'Trace id',
    width: '120px',
    render: (t) => <span className="mono">{shortId(t.traceId)}</span>,
    sortValue: (t) => t.traceId,
  },
];

/** Default trace columns. */
export const DEFAULT_TRACE_COLUMNS = [
  'time',
  'status',
  'name',
  'service',
  'models',
  'input',
  'duration',
  'tokens',
  'cost',
  'user',
];
