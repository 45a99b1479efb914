/**
 * What evaluators that call a model need from their surroundings: the project's connections
 * (opened, key in plain text), the host guard, and a way to write their traces through the
 * ingest path. The quality module builds one per request; experiments build one per run.
 */
import type { TracesRequest } from '../../otlp/types.ts';
import type { CallOptions } from '../connections-client.ts';
import type { HostPolicy } from '../host-guard.ts';
import type { ConnectionTarget } from '../provider-wire.ts';

/** The surroundings of an evaluator run. */
export interface EvaluatorContext {
  /** Opens a connection of the project by id. @throws ArgusError NOT_FOUND / INVALID_PARAMETER. */
  connection(id: string): Promise<ConnectionTarget>;
  /** Host guard for model calls (default: nothing refused). */
  hostPolicy?: HostPolicy;
  /** Writes the evaluator's trace (normalize → enrich → store); absent = not traced. */
  recordTrace?: (request: TracesRequest) => Promise<void>;
  /** Hang the evaluator span under this span (an experiment item's trace). */
  parent?: { traceId: string; spanId: string };
  /** Timeouts and retries of model calls. */
  callOptions?: Omit<CallOptions, 'hostPolicy'>;
}
