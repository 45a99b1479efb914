/**
 * Who/where fields: session, user, conversation, tags, metadata, service, environment, and
 * status. Every convention's source is read (table 3.3); metadata values are stringified.
 */
import type { SpanStatus } from '@argus/shared';
import type { OtlpSpanEvent, OtlpStatus } from '../otlp/types.ts';
import type { AttrBag } from './attr-bag.ts';
import { decodeMaybeJson, isRecord, record, stringifyValue, toText } from './values.ts';

/** Session, user and grouping fields. */
export interface ContextFields {
  sessionId: string;
  userId: string;
  conversationId: string;
  tags: string[];
  metadata: Record<string, string>;
}

/** Tags: a string list, a JSON list, or a comma-separated string (Langfuse accepts all three). */
function toTags(value: unknown): string[] | undefined {
  const decoded = decodeMaybeJson(value);
  const list = Array.isArray(decoded)
    ? decoded.map((t) => (typeof t === 'string' ? t : stringifyValue(t)))
    : typeof decoded === 'string'
      ? decoded.split(',')
      : [];
  const tags = list.map((t) => t.trim()).filter((t) => t !== '');
  return tags.length > 0 ? tags : undefined;
}

/** JSON metadata objects, then flattened `<prefix><key>` attributes, in precedence order. */
const METADATA_OBJECTS = ['langfuse.observation.metadata', 'langfuse.trace.metadata', 'metadata'];
const METADATA_PREFIXES = [
  'langfuse.observation.metadata.',
  'langfuse.trace.metadata.',
  'traceloop.association.properties.',
  'ai.telemetry.metadata.',
  'langsmith.metadata.',
];

function mapMetadata(attrs: AttrBag, maxEntries: number): Record<string, string> {
  const out = record<string>();
  let count = 0;
  const put = (key: string, value: unknown) => {
    if (count >= maxEntries || Object.hasOwn(out, key) || value === undefined || value === null) return;
    out[key] = stringifyValue(value);
    count++;
  };
  for (const key of METADATA_OBJECTS) {
    const obj = decodeMaybeJson(attrs.get(key));
    if (!isRecord(obj)) continue;
    for (const [k, v] of Object.entries(obj)) put(k, v);
    attrs.consume(key);
  }
  for (const prefix of METADATA_PREFIXES) {
    for (const [k, v] of attrs.under(prefix)) put(k, v);
    attrs.consumePrefix(prefix);
  }
  return out;
}

/** Session/user/conversation/tags/metadata. Conversation and session mirror each other unless both are given. */
export function mapContext(attrs: AttrBag, maxEntries: number): ContextFields {
  const conversation = attrs.pick(['gen_ai.conversation.id'], toText);
  const session =
    attrs.pick(
      [
        'langfuse.session.id',
        'session.id',
        'traceloop.association.properties.session_id',
        'traceloop.association.properties.chat_id',
        'ai.telemetry.metadata.sessionId',
        'langfuse.observation.metadata.langfuse_session_id',
        'langsmith.metadata.session_id',
        'langsmith.metadata.thread_id',
        'langsmith.metadata.conversation_id',
      ],
      toText,
    ) ?? conversation;
  const userId = attrs.pick(
    [
      'langfuse.user.id',
      'user.id',
      'traceloop.association.properties.user_id',
      'ai.telemetry.metadata.userId',
      'langfuse.observation.metadata.langfuse_user_id',
      'gen_ai.request.user',
      'langsmith.metadata.user_id',
    ],
    toText,
  );
  const tagSources = [
    'langfuse.trace.tags',
    'langfuse.tags',
    'tag.tags',
    'ai.telemetry.metadata.tags',
    'langsmith.span.tags',
  ];
  const tags = new Set<string>();
  for (const key of tagSources) {
    const list = toTags(attrs.get(key));
    if (list === undefined) continue;
    for (const t of list) if (tags.size < maxEntries) tags.add(t);
    attrs.consume(key);
  }
  return {
    sessionId: session ?? '',
    userId: userId ?? '',
    conversationId: conversation ?? session ?? '',
    tags: [...tags],
    metadata: mapMetadata(attrs, maxEntries),
  };
}

/** Service and environment fields. */
export interface ServiceFields {
  serviceName: string;
  serviceVersion: string;
  environment: string;
}

/**
 * Service from the resource (OpenLIT also puts it on the span; legacy OpenLIT used
 * `gen_ai.application_name`); the SDK placeholder `unknown_service…` loses to any real name.
 */
export function mapService(attrs: AttrBag, resource: AttrBag): ServiceFields {
  const named = (v: unknown) => {
    const s = toText(v);
    return s === undefined || s.startsWith('unknown_service') ? undefined : s;
  };
  const serviceName =
    resource.pick(['service.name'], named) ??
    attrs.pick(['service.name', 'gen_ai.application_name'], named) ??
    resource.pick(['openinference.project.name'], named) ??
    toText(resource.get('service.name')) ??
    '';
  const serviceVersion =
    resource.pick(['service.version'], toText) ?? attrs.pick(['service.version'], toText) ?? '';
  const environment =
    resource.pick(['deployment.environment.name', 'deployment.environment'], toText) ??
    attrs.pick(
      ['deployment.environment.name', 'deployment.environment', 'gen_ai.environment', 'langfuse.environment'],
      toText,
    ) ??
    'default';
  return { serviceName, serviceVersion, environment };
}

/** Status fields. */
export interface StatusFields {
  status: SpanStatus;
  statusMessage: string;
  errorType: string;
}

/** OTLP status (2 error, 1 ok, else unset); Langfuse level ERROR also means error; error type from `error.type` or an exception event. */
export function mapStatus(
  attrs: AttrBag,
  status: OtlpStatus,
  events: readonly OtlpSpanEvent[],
): StatusFields {
  const level = toText(attrs.get('langfuse.observation.level'))?.toUpperCase();
  let mapped: SpanStatus = status.code === 2 ? 'error' : status.code === 1 ? 'ok' : 'unset';
  if (level === 'ERROR') {
    mapped = 'error';
    attrs.consume('langfuse.observation.level');
  }
  const statusMessage =
    toText(status.message) ?? attrs.pick(['langfuse.observation.status_message'], toText) ?? '';
  const exception = events.find((e) => e.name === 'exception');
  const errorType =
    attrs.pick(['error.type'], toText) ?? toText(exception?.attributes['exception.type']) ?? '';
  return { status: mapped, statusMessage, errorType };
}
