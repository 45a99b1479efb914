/**
 * Provider, request/response model and request parameters (precedence table 3.3), with
 * provider aliases normalized to the OTel vocabulary (rule 3.4.8).
 */
import type { ModelParams } from '@argus/shared';
import type { AttrBag } from './attr-bag.ts';
import { decodeMaybeJson, isRecord, toBool, toNumber, toStringList, toText } from './values.ts';

const PROVIDER_ALIASES: Record<string, string> = {
  'az.ai.openai': 'azure.ai.openai',
  'az.ai.inference': 'azure.ai.inference',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  azure_openai: 'azure.ai.openai',
  vertex_ai: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  'google.vertex': 'gcp.vertex_ai',
  gemini: 'gcp.gemini',
  'google.generative-ai': 'gcp.gemini',
  google: 'gcp.gen_ai',
  xai: 'x_ai',
  mistralai: 'mistral_ai',
  mistral: 'mistral_ai',
  'ibm.watson.ai': 'ibm.watsonx.ai',
  watsonx: 'ibm.watsonx.ai',
  amazon: 'aws.bedrock',
  aws: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  moonshot: 'moonshot_ai',
  moonshotai: 'moonshot_ai',
};

/** Vercel provider ids end in the API flavour (`openai.chat`, `anthropic.messages`). */
const VERCEL_SUFFIX = /\.(chat|responses|completion|embedding|messages|image|transcription|speech)$/;

/** Lower-cases and maps a provider name to the OTel vocabulary (`vertex_ai` → `gcp.vertex_ai`). */
export function normalizeProvider(raw: string): string {
  let p = raw.trim().toLowerCase();
  if (Object.hasOwn(PROVIDER_ALIASES, p)) return PROVIDER_ALIASES[p]!;
  p = p.replace(VERCEL_SUFFIX, '');
  return Object.hasOwn(PROVIDER_ALIASES, p) ? PROVIDER_ALIASES[p]! : p;
}

/** Provider and models of a span. */
export interface ModelFields {
  provider: string;
  requestModel: string;
  responseModel: string;
}

/** Reads a JSON-object attribute without consuming it (callers decide). */
function objectAttr(attrs: AttrBag, key: string): Record<string, unknown> | undefined {
  const v = decodeMaybeJson(attrs.get(key));
  return isRecord(v) ? v : undefined;
}

/** Provider and models, first present source winning per field. */
export function mapModel(attrs: AttrBag): ModelFields {
  const provider = attrs.pick(
    [
      'gen_ai.provider.name',
      'gen_ai.system',
      'llm.provider',
      'llm.system',
      'ai.model.provider',
      'langsmith.metadata.ls_provider',
    ],
    toText,
  );
  const invocation = objectAttr(attrs, 'llm.invocation_parameters');
  const requestModel =
    attrs.pick(['gen_ai.request.model', 'llm.request.model_name'], toText) ??
    toText(invocation?.model) ??
    // OpenInference's `llm.model_name` is the response model when known; the request payload has the asked one.
    toText(objectAttr(attrs, 'input.value')?.model) ??
    attrs.pick(
      [
        'llm.model_name',
        'ai.model.id',
        'embedding.model_name',
        'langsmith.metadata.ls_model_name',
        'langfuse.observation.model.name',
      ],
      toText,
    );
  const responseModel = attrs.pick(
    [
      'langfuse.observation.model.name',
      'gen_ai.response.model',
      'llm.response.model_name',
      'llm.model_name',
      'ai.response.model',
    ],
    toText,
  );
  return {
    provider: provider === undefined ? '' : normalizeProvider(provider),
    requestModel: requestModel ?? '',
    responseModel: responseModel ?? '',
  };
}

/** Each canonical param, the names producers use for it, and how to read the value. */
const PARAM_FIELDS: readonly [keyof ModelParams, readonly string[], (v: unknown) => unknown][] = [
  ['temperature', ['temperature'], toNumber],
  ['topP', ['top_p', 'topP'], toNumber],
  ['topK', ['top_k', 'topK'], toNumber],
  [
    'maxTokens',
    ['max_tokens', 'maxTokens', 'max_completion_tokens', 'max_output_tokens', 'maxOutputTokens'],
    toNumber,
  ],
  ['frequencyPenalty', ['frequency_penalty', 'frequencyPenalty'], toNumber],
  ['presencePenalty', ['presence_penalty', 'presencePenalty'], toNumber],
  ['seed', ['seed'], toNumber],
  ['stopSequences', ['stop_sequences', 'stopSequences', 'stop'], toStringList],
  ['stream', ['stream', 'is_stream'], toBool],
];

/**
 * Reads the params of one source. `lookup(name)` answers a raw value and the attribute key it
 * came from (if any), so only values that were actually used get consumed.
 */
function readParams(
  lookup: (name: string) => [unknown, string?],
  consume: (key: string) => void,
): ModelParams {
  const params: Record<string, unknown> = {};
  for (const [field, names, read] of PARAM_FIELDS) {
    for (const name of names) {
      const [raw, key] = lookup(name);
      const value = raw === undefined ? undefined : read(raw);
      if (value === undefined) continue;
      params[field] = value;
      if (key !== undefined) consume(key);
      break;
    }
  }
  return params as ModelParams;
}

/** Params inside an object (invocation parameters, a request payload), read by their usual names. */
export function paramsFromObject(obj: Record<string, unknown> | undefined): ModelParams {
  if (obj === undefined) return {};
  return readParams(
    (name) => [Object.hasOwn(obj, name) ? obj[name] : undefined],
    () => {},
  );
}

/** The attribute keys of one dialect's params: per {@link PARAM_FIELDS} entry, its keys in order. */
interface ParamKeys {
  prefix: string;
  keys: readonly (readonly string[])[];
}

/** `prefix + name` for every param name (or its renamed key), built once per dialect. */
function paramKeys(prefix: string, rename: Record<string, string> = {}): ParamKeys {
  const keys = PARAM_FIELDS.map(([, names]) =>
    names.map((name) => (Object.hasOwn(rename, name) ? rename[name]! : prefix + name)),
  );
  return { prefix, keys };
}

const GEN_AI_PARAMS = paramKeys('gen_ai.request.');
const LLM_PARAMS = paramKeys('llm.', { stop: 'llm.chat.stop_sequences', stream: 'llm.is_streaming' });
const VERCEL_PARAMS = paramKeys('ai.settings.');
const LANGSMITH_PARAMS = paramKeys('langsmith.metadata.ls_');

/** Params in one dialect's attributes; used attributes are consumed. */
function fromAttrs(attrs: AttrBag, dialect: ParamKeys): ModelParams {
  // Most spans speak one dialect: skip the ~15 lookups when no key of this one is present.
  if (!attrs.hasPrefix(dialect.prefix)) return {};
  const params: Record<string, unknown> = {};
  for (let f = 0; f < PARAM_FIELDS.length; f++) {
    const [field, , read] = PARAM_FIELDS[f]!;
    for (const key of dialect.keys[f]!) {
      const raw = attrs.get(key) ?? undefined;
      const value = raw === undefined ? undefined : read(raw);
      if (value === undefined) continue;
      params[field] = value;
      attrs.consume(key);
      break;
    }
  }
  return params as ModelParams;
}

/**
 * Request parameters merged per field across sources, first source winning: Langfuse model
 * parameters, `gen_ai.request.*`, OpenInference invocation parameters, OpenLLMetry `llm.*`,
 * Vercel `ai.settings.*`, LangSmith `ls_*` metadata.
 */
export function mapParams(attrs: AttrBag, spanName: string): ModelParams {
  const sources: ModelParams[] = [
    paramsFromObject(objectAttr(attrs, 'langfuse.observation.model.parameters')),
    fromAttrs(attrs, GEN_AI_PARAMS),
    paramsFromObject(objectAttr(attrs, 'llm.invocation_parameters')),
    fromAttrs(attrs, LLM_PARAMS),
    fromAttrs(attrs, VERCEL_PARAMS),
    fromAttrs(attrs, LANGSMITH_PARAMS),
  ];
  // Vercel's streaming spans say so only in their name.
  if (/^ai\.stream(Text|Object)(\.doStream)?$/.test(spanName)) sources.push({ stream: true });
  return mergeParams(sources);
}

/** Params merged per field, the first source that has a field winning. */
export function mergeParams(sources: readonly ModelParams[]): ModelParams {
  const params: ModelParams = {};
  for (const source of sources) {
    for (const [k, v] of Object.entries(source) as [keyof ModelParams, never][]) {
      if (v !== undefined && params[k] === undefined) params[k] = v;
    }
  }
  return params;
}
