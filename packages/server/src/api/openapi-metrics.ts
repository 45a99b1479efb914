/**
 * OpenAPI paths of the metrics routes: the Prometheus exposition (`/metrics`) and the OTLP
 * metric queries (`/api/v1/metrics/points`, `/api/v1/metrics/names`). Limits come from the
 * query layer's constants.
 */
import {
  BAD_REQUEST,
  jsonAnswer as ok,
  queryParam as param,
  paramRef as ref,
  type Schema,
} from '../http/openapi-helpers.ts';
import {
  AGGREGATIONS,
  DEFAULT_MAX_WINDOW_MS,
  MAX_ATTRIBUTE_FILTERS,
  MAX_GROUP_KEYS,
  MAX_METRIC_NAMES,
  MAX_METRIC_SERIES,
  MAX_POINTS,
  MAX_RAW_POINTS,
} from '../query/index.ts';

const seriesSchema: Schema = {
  type: 'object',
  required: ['name', 'unit', 'type', 'aggregation', 'step', 'from', 'to', 'series'],
  properties: {
    name: { type: 'string' },
    unit: { type: 'string' },
    type: {
      type: ['string', 'null'],
      enum: ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary', null],
      description: 'Type of the newest point in the window; null when the window holds none',
    },
    aggregation: { type: ['string', 'null'], enum: [...AGGREGATIONS, null] },
    step: { type: 'integer', description: 'Bucket width in seconds' },
    from: { type: 'string', format: 'date-time', description: 'Start of the first bucket' },
    to: { type: 'string', format: 'date-time', description: 'End of the last bucket (exclusive)' },
    series: {
      type: 'array',
      maxItems: MAX_METRIC_SERIES,
      items: {
        type: 'object',
        required: ['labels', 'points'],
        properties: {
          labels: {
            type: 'object',
            additionalProperties: { type: 'string' },
            description: 'groupBy key → value',
          },
          points: {
            type: 'array',
            description: 'Buckets holding data only',
            items: {
              type: 'object',
              required: ['time', 'value'],
              properties: { time: { type: 'string', format: 'date-time' }, value: { type: 'number' } },
            },
          },
        },
      },
    },
  },
};

/** The metrics routes. */
export const METRICS_PATHS: Record<string, Schema> = {
  '/metrics': {
    get: {
      summary: 'Prometheus metrics',
      description:
        'GenAI metrics (OTel GenAI names: gen_ai_client_operation_duration_seconds, gen_ai_client_token_usage …) and the server’s own health, in the text format 0.0.4, or OpenMetrics 1.0 when Accept asks for application/openmetrics-text. GenAI series carry the label argus_project; an instance administrator sees every project and the health metrics, any other caller (a project’s API key) only its project’s GenAI series. Every metric and its labels: docs/metrics.md.',
      responses: {
        '200': {
          description: 'OK',
          content: {
            'text/plain; version=0.0.4': { schema: { type: 'string' } },
            'application/openmetrics-text; version=1.0.0': { schema: { type: 'string' } },
          },
        },
      },
    },
  },
  '/api/v1/metrics/points': {
    get: {
      summary: 'OTLP metric series',
      description: `One metric received over OTLP (host, GPU, inference-server …) as series of buckets aligned to the epoch, one per groupBy value (the ${MAX_METRIC_SERIES} busiest). Attribute filters are \`attr.<key>=<value>\` (repeat a key to match any of several values; point and resource attributes both match). avg/min/max/sum/last read point values (last: the latest value of each stream, summed); rate and histogram avg/sum/percentiles use increases of cumulative points (counter resets handled), read from at most ${MAX_RAW_POINTS} points. Default aggregation: rate for monotonic sums, else avg.`,
      parameters: [
        {
          ...param('name', 'Exact metric name.', { type: 'string', minLength: 1, maxLength: 256 }),
          required: true,
        },
        ref('from'),
        ref('to'),
        param(
          'step',
          `Bucket width: 30s, 5m, 1h, 1d or whole seconds; at most ${MAX_POINTS} buckets over the window.`,
          { type: 'string', pattern: '^\\d+[smhd]?$' },
        ),
        param('aggregation', 'How points in a bucket combine.', { type: 'string', enum: [...AGGREGATIONS] }),
        param('groupBy', `Comma-separated attribute keys (at most ${MAX_GROUP_KEYS}).`, {
          type: 'string',
          examples: ['gpu', 'service.name,model_name'],
        }),
        {
          name: 'attr.*',
          in: 'query',
          description: `Attribute filter, e.g. attr.gpu=0 or attr.service.name=vllm (at most ${MAX_ATTRIBUTE_FILTERS} keys).`,
          schema: { type: 'string', minLength: 1, maxLength: 256 },
        },
      ],
      responses: { '200': ok(seriesSchema), '400': BAD_REQUEST },
    },
  },
  '/api/v1/metrics/names': {
    get: {
      summary: 'OTLP metric names',
      description: `Metrics with points in the window (default the last 24 h, at most ${DEFAULT_MAX_WINDOW_MS / 86_400_000} days or the retention period), alphabetically; type, unit and description of the newest point.`,
      parameters: [
        ref('from'),
        ref('to'),
        param('q', 'Case-insensitive part of the name.', { type: 'string', maxLength: 256 }),
        param('limit', 'Most names returned.', {
          type: 'integer',
          minimum: 1,
          maximum: MAX_METRIC_NAMES,
          default: MAX_METRIC_NAMES,
        }),
      ],
      responses: {
        '200': ok({
          type: 'object',
          properties: {
            data: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'type', 'unit', 'description', 'points', 'lastSeen'],
                properties: {
                  name: { type: 'string' },
                  type: { type: 'string' },
                  unit: { type: 'string' },
                  description: { type: 'string' },
                  points: { type: 'integer' },
                  lastSeen: { type: 'string', format: 'date-time' },
                },
              },
            },
          },
        }),
        '400': BAD_REQUEST,
      },
    },
  },
};
