/**
 * Session, user, metadata and tags carried in the OpenTelemetry context: every span started
 * below `withSession(…)` & co. gets them as attributes the Argus normalizer maps
 * (`session.id`, `user.id`, `tag.tags`, `metadata` as JSON — the OpenInference names, which
 * the server reads into the canonical `sessionId`, `userId`, `tags`, `metadata`).
 */
import { type Attributes, type Context, context, createContextKey } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { safely, warn } from './diagnostics.ts';

/** Span attribute names written from the context. */
export const CONTEXT_ATTRIBUTES = {
  sessionId: 'session.id',
  userId: 'user.id',
  tags: 'tag.tags',
  metadata: 'metadata',
} as const;

const SESSION_KEY = createContextKey('argus.session.id');
const USER_KEY = createContextKey('argus.user.id');
const METADATA_KEY = createContextKey('argus.metadata');
const TAGS_KEY = createContextKey('argus.tags');

/** Metadata values: anything JSON can carry; the server stores each value as a string. */
export type Metadata = Record<string, unknown>;

/** Everything {@link withContext} can set at once. */
export interface ArgusContext {
  sessionId?: string;
  userId?: string;
  /** Merged with metadata set further up (inner keys win). */
  metadata?: Metadata;
  /** Added to tags set further up. */
  tags?: readonly string[];
}

/** The context values as set at `ctx` (default: the active context). */
export function getArgusContext(ctx: Context = context.active()): ArgusContext {
  const out: ArgusContext = {};
  const session = ctx.getValue(SESSION_KEY);
  const user = ctx.getValue(USER_KEY);
  const metadata = ctx.getValue(METADATA_KEY);
  const tags = ctx.getValue(TAGS_KEY);
  if (typeof session === 'string') out.sessionId = session;
  if (typeof user === 'string') out.userId = user;
  if (metadata !== undefined) out.metadata = metadata as Metadata;
  if (tags !== undefined) out.tags = tags as string[];
  return out;
}

/** `ctx` with the given values added; invalid values are reported and skipped. */
function extend(ctx: Context, values: ArgusContext): Context {
  let next = ctx;
  if (values.sessionId !== undefined) {
    if (typeof values.sessionId === 'string') next = next.setValue(SESSION_KEY, values.sessionId);
    else warn(`Ignoring sessionId ${String(values.sessionId)}: expected a string`);
  }
  if (values.userId !== undefined) {
    if (typeof values.userId === 'string') next = next.setValue(USER_KEY, values.userId);
    else warn(`Ignoring userId ${String(values.userId)}: expected a string`);
  }
  if (values.metadata !== undefined && values.metadata !== null && typeof values.metadata === 'object') {
    const outer = (ctx.getValue(METADATA_KEY) as Metadata | undefined) ?? {};
    next = next.setValue(METADATA_KEY, Object.freeze({ ...outer, ...values.metadata }));
  }
  if (Array.isArray(values.tags)) {
    const outer = (ctx.getValue(TAGS_KEY) as string[] | undefined) ?? [];
    const tags = new Set([...outer, ...values.tags.filter((t): t is string => typeof t === 'string')]);
    next = next.setValue(TAGS_KEY, Object.freeze([...tags]));
  }
  return next;
}

/**
 * Runs `fn` with session, user, metadata and tags set for every span started inside it
 * (sync or async); returns what `fn` returns. Nested calls add to the outer values.
 * @example withContext({ sessionId: 'chat-42', userId: 'u-7', tags: ['beta'] }, () => answer(q))
 */
export function withContext<T>(values: ArgusContext, fn: () => T): T {
  const active = context.active();
  const next = safely('set the Argus context', () => extend(active, values ?? {}), active);
  return context.with(next, fn);
}

/** Runs `fn` with `session.id` set on every span started inside it; returns `fn`'s result. */
export function withSession<T>(sessionId: string, fn: () => T): T {
  return withContext({ sessionId }, fn);
}

/** Runs `fn` with `user.id` set on every span started inside it; returns `fn`'s result. */
export function withUser<T>(userId: string, fn: () => T): T {
  return withContext({ userId }, fn);
}

/** Runs `fn` with metadata (merged into outer metadata) on every span started inside it. */
export function withMetadata<T>(metadata: Metadata, fn: () => T): T {
  return withContext({ metadata }, fn);
}

/** Runs `fn` with tags (added to outer tags) on every span started inside it. */
export function withTags<T>(tags: readonly string[], fn: () => T): T {
  return withContext({ tags }, fn);
}

function stringifyMetadata(metadata: Metadata): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(metadata, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value !== null && typeof value === 'object') {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}

/** The span attributes for the context values at `ctx`; empty when none are set. */
export function contextAttributes(ctx: Context = context.active()): Attributes {
  const values = getArgusContext(ctx);
  const attributes: Attributes = {};
  if (values.sessionId !== undefined) attributes[CONTEXT_ATTRIBUTES.sessionId] = values.sessionId;
  if (values.userId !== undefined) attributes[CONTEXT_ATTRIBUTES.userId] = values.userId;
  if (values.tags !== undefined && values.tags.length > 0)
    attributes[CONTEXT_ATTRIBUTES.tags] = [...values.tags];
  if (values.metadata !== undefined && Object.keys(values.metadata).length > 0) {
    attributes[CONTEXT_ATTRIBUTES.metadata] = safely(
      'serialize context metadata',
      () => stringifyMetadata(values.metadata as Metadata),
      '{}',
    );
  }
  return attributes;
}

/** Span processor that copies the context values onto every span when it starts (explicit span attributes win). */
export class ContextSpanProcessor implements SpanProcessor {
  /** Adds the context attributes of the span's parent context. */
  onStart(span: Span, parentContext: Context): void {
    safely(
      'copy the Argus context onto a span',
      () => {
        const attributes = contextAttributes(parentContext);
        // Attributes the span was started with win over the context's.
        for (const key in attributes)
          if (span.attributes[key] === undefined) span.setAttribute(key, attributes[key]!);
      },
      undefined,
    );
  }
  /** Nothing to do at span end. */
  onEnd(_span: ReadableSpan): void {}
  /** Nothing is buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  /** Nothing to release. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
