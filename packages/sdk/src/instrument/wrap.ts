/**
 * `wrapOpenAI` / `wrapAnthropic` and their inverses: patch the create methods of one client
 * instance (never a prototype or a module), reversibly. Helpers such as `chat.completions.parse`,
 * `chat.completions.stream`, `responses.stream`, `messages.stream` and `runTools` call these
 * create methods on the same client, so they are traced too, once.
 */
import type { TracerProvider } from '@opentelemetry/api';
import { SDK_NAME, SDK_VERSION } from '../config.ts';
import { safely } from '../diagnostics.ts';
import { ContextTracer } from '../tracer.ts';
import { anthropicAdapter } from './anthropic-messages.ts';
import type { ClientSettings, OperationAdapter } from './call.ts';
import { chatAdapter } from './openai-chat.ts';
import { completionsAdapter, embeddingsAdapter } from './openai-other.ts';
import { responsesAdapter } from './openai-responses.ts';
import { beginPatching, isPatched, onUnpatch, patchMethod, resolvePath, unpatchAll } from './patch.ts';
import { detectEndpoint } from './provider.ts';
import { traceMethod } from './trace-call.ts';

/** Options of {@link wrapOpenAI} and {@link wrapAnthropic}. */
export interface WrapOptions {
  /**
   * `gen_ai.provider.name` for every call, e.g. `'vllm'`; by default detected from the client's
   * base URL (Moonshot, DeepSeek, Groq, Together, OpenRouter, Azure, Ollama …), else `openai` /
   * `anthropic`.
   */
  provider?: string;
  /** Record prompts and completions; defaults to the SDK's `captureContent` setting (read per call). */
  captureContent?: boolean;
  /** Tracer provider to use instead of the one `init()` set up (or the global one). */
  tracerProvider?: TracerProvider;
}

/** Options of {@link wrapOpenAI}. */
export type WrapOpenAIOptions = WrapOptions;
/** Options of {@link wrapAnthropic}. */
export type WrapAnthropicOptions = WrapOptions;

const OPENAI_METHODS: readonly [path: string[], adapter: OperationAdapter][] = [
  [['chat', 'completions'], chatAdapter],
  [['responses'], responsesAdapter],
  [['embeddings'], embeddingsAdapter],
  [['completions'], completionsAdapter],
];

const ANTHROPIC_METHODS: readonly [path: string[], adapter: OperationAdapter][] = [
  [['messages'], anthropicAdapter],
  [['beta', 'messages'], anthropicAdapter],
];

function settingsFor(client: object, fallback: string, options: WrapOptions): ClientSettings {
  const { baseURL } = client as { baseURL?: unknown };
  const className = (client as { constructor?: { name?: string } }).constructor?.name;
  const tracer =
    options.tracerProvider === undefined
      ? undefined
      : new ContextTracer(options.tracerProvider.getTracer(SDK_NAME, SDK_VERSION));
  return {
    endpoint: detectEndpoint(baseURL, fallback, className, options.provider),
    tracer,
    captureContent: options.captureContent,
  };
}

function wrapClient<T>(
  client: T,
  fallback: string,
  methods: typeof OPENAI_METHODS,
  options: WrapOptions,
  extra?: (client: object) => void,
): T {
  if (client === null || typeof client !== 'object' || isPatched(client)) return client;
  safely(
    `wrap the ${fallback} client`,
    () => {
      const settings = settingsFor(client, fallback, options);
      if (!beginPatching(client)) return;
      for (const [path, adapter] of methods) {
        const resource = resolvePath(client, path);
        if (resource !== undefined)
          patchMethod(client, resource, 'create', (original) => traceMethod(adapter, settings, original));
      }
      extra?.(client);
    },
    undefined,
  );
  return client;
}

/**
 * Instruments an OpenAI client (openai v4 and later, `AzureOpenAI`, or any OpenAI-compatible
 * base URL) and returns the same instance: `chat.completions.create`, `responses.create`,
 * `embeddings.create` and `completions.create` make a CLIENT span each. Wrapping twice is a no-op.
 */
export function wrapOpenAI<T>(client: T, options: WrapOpenAIOptions = {}): T {
  return wrapClient(client, 'openai', OPENAI_METHODS, options);
}

/**
 * Instruments an Anthropic client and returns the same instance: `messages.create` (and so
 * `messages.stream`) and `beta.messages.create` make a CLIENT span each. The SDK's own
 * OpenTelemetry spans (`@anthropic-ai/sdk` ≥ 1) are turned off on this instance while it is
 * wrapped, so each call is counted once. Wrapping twice is a no-op.
 */
export function wrapAnthropic<T>(client: T, options: WrapAnthropicOptions = {}): T {
  return wrapClient(client, 'anthropic', ANTHROPIC_METHODS, options, silenceNativeSpans);
}

/** Turns off `@anthropic-ai/sdk`'s built-in call spans on this instance until unwrapped. */
function silenceNativeSpans(client: object): void {
  const native = client as { _tracer?: unknown };
  if (!Object.hasOwn(native, '_tracer') || native._tracer === undefined) return;
  const tracer = native._tracer;
  native._tracer = undefined;
  onUnpatch(client, () => {
    native._tracer = tracer;
  });
}

/** Restores a client wrapped by {@link wrapOpenAI}; returns it. A client that is not wrapped is returned as is. */
export function unwrapOpenAI<T>(client: T): T {
  if (client !== null && typeof client === 'object')
    safely('unwrap the OpenAI client', () => unpatchAll(client), false);
  return client;
}

/** Restores a client wrapped by {@link wrapAnthropic}; returns it. A client that is not wrapped is returned as is. */
export function unwrapAnthropic<T>(client: T): T {
  if (client !== null && typeof client === 'object')
    safely('unwrap the Anthropic client', () => unpatchAll(client), false);
  return client;
}
