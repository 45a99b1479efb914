/** OpenAPI paths of the OTLP/HTTP receivers (otlp-routes.ts); their bodies are OTLP, not JSON Schema. */
import { jsonAnswer, type Schema } from '../http/openapi-helpers.ts';

const otlpPost = (signal: string) => ({
  post: {
    summary: `OTLP/HTTP ${signal} receiver`,
    description: `ExportServiceRequest for ${signal} as application/x-protobuf or application/json (hex ids; base64 accepted), optionally gzip/deflate/br/zstd. Answers in the request's content type: 200 (with partialSuccess when some items were rejected), 400, 413, 415, 503 + Retry-After. Also served under /api/public/otel/v1/${signal}.`,
    requestBody: {
      required: true,
      content: {
        'application/x-protobuf': { schema: { type: 'string', format: 'binary' } },
        'application/json': { schema: { type: 'object' } },
      },
    },
    responses: {
      '200': jsonAnswer({ type: 'object', properties: { partialSuccess: { type: 'object' } } }),
      '400': { description: 'Undecodable body (OTLP_DECODE)' },
      '413': { description: 'Body or decompressed body over the limit (PAYLOAD_TOO_LARGE)' },
      '415': { description: 'Unsupported Content-Type or Content-Encoding' },
      '503': { description: 'Write queue full or shutting down; see Retry-After' },
    },
  },
});

/** `POST /v1/traces`, `/v1/logs` and `/v1/metrics`. */
export const OTLP_PATHS: Record<string, Schema> = {
  '/v1/traces': otlpPost('traces'),
  '/v1/logs': otlpPost('logs'),
  '/v1/metrics': otlpPost('metrics'),
};
