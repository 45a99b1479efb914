/**
 * `init()`: sets up OpenTelemetry tracing to Argus without ever replacing what the application
 * already has. With no tracer provider registered, Argus registers its own (ratio sampling,
 * context processor, batch OTLP/protobuf export). With one registered, Argus attaches to it:
 * its processors are added when the provider has `addSpanProcessor()` (SDK 1.x); otherwise
 * (SDK 2.x, `NodeSDK`) the application's processors and exporters handle Argus spans — add
 * `argusSpanProcessor()` to them to export to Argus. A context manager and the W3C propagators
 * are installed only where none is. Nothing here throws into the application.
 */
import {
  context,
  createContextKey,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  ParentBasedSampler,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import {
  type InitOptions,
  resolveConfig,
  SDK_NAME,
  SDK_VERSION,
  type SdkConfig,
  setConfig,
} from './config.ts';
import { ContextSpanProcessor } from './context.ts';
import { debug, setDiagnostics, warn } from './diagnostics.ts';
import { createdProcessors, ExportProcessor } from './export.ts';
import { ContextTracer, setTracer } from './tracer.ts';

/**
 * How Argus is wired: `global` — its own provider, registered globally; `attached` — its
 * processors added to the application's provider; `external` — the application's provider and
 * exporters are used as they are; `inert` — initialization failed, spans are not recorded.
 */
export type ArgusMode = 'global' | 'attached' | 'external' | 'inert';

/** What `init()` returns. */
export interface ArgusHandle {
  readonly mode: ArgusMode;
  /** The tracer Argus spans are created with. */
  readonly tracer: Tracer;
  /** Exports every finished span; resolves (never rejects) when done or timed out. */
  flush(): Promise<void>;
  /** Flushes and stops exporting; resolves (never rejects). `init()` may be called again afterwards. */
  shutdown(): Promise<void>;
}

/** SDK-side interface of providers that can gain processors after construction (SDK 1.x). */
interface ExtensibleProvider extends TracerProvider {
  addSpanProcessor(processor: SpanProcessor): void;
}

let current: ArgusHandle | undefined;
/** Providers Argus created; one still registered after a (timed-out) shutdown is replaced, not attached to. */
const ownProviders = new WeakSet<object>();

/** Resolves after `work` settles or `ms` pass, whichever is first; failures are reported. */
function settle(what: string, work: () => Promise<unknown> | undefined, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      warn(`Cannot ${what}: not done within ${ms} ms`);
      resolve();
    }, ms);
    timer.unref?.();
    const finish = (error?: unknown) => {
      clearTimeout(timer);
      if (error !== undefined) warn(`Cannot ${what}`, error);
      resolve();
    };
    try {
      Promise.resolve(work()).then(
        () => finish(),
        (error: unknown) => finish(error ?? 'rejected'),
      );
    } catch (error) {
      finish(error);
    }
  });
}

const PROBE = createContextKey('argus.probe');

function ensureContextManager(): void {
  const works = context.with(
    ROOT_CONTEXT.setValue(PROBE, true),
    () => context.active().getValue(PROBE) === true,
  );
  if (works) return;
  const manager = new AsyncLocalStorageContextManager().enable();
  if (context.setGlobalContextManager(manager)) debug('Registered an AsyncLocalStorage context manager');
  else manager.disable();
}

function ensurePropagator(): void {
  const carrier: Record<string, string> = {};
  const probe = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
  };
  propagation.inject(trace.setSpanContext(ROOT_CONTEXT, probe), carrier);
  if (Object.keys(carrier).length > 0) return;
  const propagator = new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
  if (propagation.setGlobalPropagator(propagator)) debug('Registered the W3C trace context propagator');
}

/** The application's registered provider, or undefined when only the no-op one is. */
function registeredProvider(): TracerProvider | undefined {
  const global = trace.getTracerProvider();
  const delegate = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  const sdk = delegate as Partial<ExtensibleProvider & { forceFlush(): unknown; shutdown(): unknown }>;
  const isReal = ['addSpanProcessor', 'forceFlush', 'shutdown'].some(
    (m) => typeof sdk[m as keyof typeof sdk] === 'function',
  );
  return isReal ? delegate : undefined;
}

function resourceFor(config: SdkConfig) {
  const attributes: Record<string, string> = {
    'telemetry.distro.name': SDK_NAME,
    'telemetry.distro.version': SDK_VERSION,
  };
  if (config.serviceName !== undefined) attributes['service.name'] = config.serviceName;
  if (config.serviceVersion !== undefined) attributes['service.version'] = config.serviceVersion;
  if (config.environment !== undefined) attributes['deployment.environment.name'] = config.environment;
  return defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(attributes));
}

/** What a handle does: flush, the prompt flush when the process is about to exit, shutdown. */
interface HandleOps {
  flush: () => Promise<unknown>;
  /** Bounded by `shutdownTimeoutMs`; `flush` when Argus does not own the exporter. */
  flushBeforeExit?: () => Promise<unknown>;
  shutdown: () => Promise<unknown>;
}

/** Extra time past `shutdownTimeoutMs` before a close is given up on (the exporter aborts first). */
const CLOSE_MARGIN_MS = 500;

function makeHandle(mode: ArgusMode, tracer: Tracer, config: SdkConfig, ops: HandleOps): ArgusHandle {
  const limitMs = config.exportTimeoutMs * 2 + 1000;
  const closeLimitMs = config.shutdownTimeoutMs + CLOSE_MARGIN_MS;
  let stopped: Promise<void> | undefined;
  // The loop has drained and the process is about to exit: export what is pending, promptly.
  const onExit = () => {
    debug('Flushing spans before the process exits');
    void settle('flush spans before exit', ops.flushBeforeExit ?? ops.flush, closeLimitMs);
  };
  const handle: ArgusHandle = {
    mode,
    tracer,
    flush: () => (stopped ? stopped : settle('flush spans', ops.flush, limitMs)),
    shutdown() {
      stopped ??= (async () => {
        process.off('beforeExit', onExit);
        await settle('shut down the Argus exporter', ops.shutdown, closeLimitMs);
        if (current === handle) {
          current = undefined;
          setTracer(undefined);
          setConfig(undefined);
        }
      })();
      return stopped;
    },
  };
  // Short scripts end without calling flush(); export what is pending when the loop drains.
  if (mode !== 'inert') process.once('beforeExit', onExit);
  return handle;
}

function startGlobal(config: SdkConfig): ArgusHandle | undefined {
  const exporting = new ExportProcessor(config);
  const provider = new BasicTracerProvider({
    resource: resourceFor(config),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRate) }),
    spanProcessors: [new ContextSpanProcessor(), exporting],
  });
  ownProviders.add(provider);
  if (!trace.setGlobalTracerProvider(provider)) {
    void provider.shutdown().catch(() => {});
    return undefined;
  }
  debug(`Registered the Argus tracer provider, exporting to ${config.tracesUrl}`);
  return makeHandle('global', provider.getTracer(SDK_NAME, SDK_VERSION), config, {
    flush: () => provider.forceFlush(),
    flushBeforeExit: () => exporting.flushBeforeExit(),
    shutdown: async () => {
      await provider.shutdown();
      // Unregister only our own provider, so a later init() can register a fresh one.
      const global = trace.getTracerProvider();
      if (global instanceof ProxyTracerProvider && global.getDelegate() === provider) trace.disable();
    },
  });
}

function attach(config: SdkConfig, provider: TracerProvider): ArgusHandle {
  const own = [...createdProcessors];
  const extensible = provider as Partial<ExtensibleProvider>;
  if (own.length === 0 && typeof extensible.addSpanProcessor === 'function') {
    const exporting = new ExportProcessor(config);
    extensible.addSpanProcessor(new ContextSpanProcessor());
    extensible.addSpanProcessor(exporting);
    debug(`Attached to the registered tracer provider, exporting to ${config.tracesUrl}`);
    return makeHandle('attached', provider.getTracer(SDK_NAME, SDK_VERSION), config, {
      flush: () => exporting.forceFlush(),
      flushBeforeExit: () => exporting.flushBeforeExit(),
      shutdown: () => exporting.shutdown(),
    });
  }
  if (own.length === 0) {
    warn(
      "A tracer provider without addSpanProcessor() is registered; Argus spans go to the application's exporters. Add argusSpanProcessor() to its spanProcessors to export them to Argus",
    );
  }
  const tracer = provider.getTracer(SDK_NAME, SDK_VERSION);
  const sdk = provider as Partial<{ forceFlush(): Promise<void> }>;
  return makeHandle('external', own.length > 0 ? tracer : new ContextTracer(tracer), config, {
    flush: () => Promise.all([...own.map((p) => p.forceFlush()), sdk.forceFlush?.call(provider)]),
    ...(own.length > 0 ? { flushBeforeExit: () => Promise.all(own.map((p) => p.flushBeforeExit())) } : {}),
    shutdown: () => Promise.all(own.map((p) => p.shutdown())),
  });
}

function start(config: SdkConfig): ArgusHandle {
  ensureContextManager();
  ensurePropagator();
  let existing = registeredProvider();
  if (existing !== undefined && ownProviders.has(existing)) {
    trace.disable();
    existing = undefined;
  }
  const handle =
    (existing === undefined ? startGlobal(config) : undefined) ??
    attach(config, registeredProvider() ?? trace.getTracerProvider());
  if (handle.mode !== 'global' && config.sampleRate < 1)
    debug("sampleRate is ignored: the application's sampler decides");
  return handle;
}

/**
 * Starts tracing to Argus and returns a handle. Options fall back to environment variables
 * (see docs/sdk.md); a second call returns the active handle. Never throws: failures go to the
 * diagnostic logger and yield an inert handle.
 * @example const argus = init({ serviceName: 'chat-api', captureContent: false });
 */
export function init(options: InitOptions = {}): ArgusHandle {
  if (current !== undefined) {
    warn('init() was already called; call shutdown() first to change options');
    return current;
  }
  try {
    setDiagnostics(options.diagnostics);
    const config = resolveConfig(options);
    setConfig(config);
    current = start(config);
    setTracer(current.tracer);
  } catch (error) {
    warn('Cannot initialize Argus; spans will not be recorded', error);
    const config = resolveConfig({});
    current = makeHandle('inert', trace.getTracer(SDK_NAME, SDK_VERSION), config, {
      flush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    });
  }
  return current;
}

/** Exports every finished span of the active `init()`; resolves (never rejects). */
export function flush(): Promise<void> {
  return current?.flush() ?? Promise.resolve();
}

/** Flushes and stops the active `init()`; resolves (never rejects). */
export function shutdown(): Promise<void> {
  return current?.shutdown() ?? Promise.resolve();
}
