/** OTLP over HTTP: traces, logs and metrics at /v1/* (the gRPC listener is the server's own). */
import type { Capability } from '../capability.ts';
import { registerOtlpRoutes } from './otlp-routes.ts';

export const otlpModule: Capability = {
  name: 'otlp',
  register({ router, ingest }) {
    registerOtlpRoutes(router, ingest);
  },
};
