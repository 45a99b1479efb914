/**
 * Turns the provider and model strings that instrumentations send into lookup keys for the
 * pricing catalog. Pure string functions; see docs/pricing.md for the matching rules.
 */

/** Provider names seen in the wild, mapped to the OTel vocabulary the catalog uses. */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  'openai.chat': 'openai',
  'openai.responses': 'openai',
  'az.ai.openai': 'azure.ai.openai',
  azure: 'azure.ai.openai',
  azure_openai: 'azure.ai.openai',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  'google.generative-ai': 'gcp.gemini',
  google_genai: 'gcp.gemini',
  google_ai_studio: 'gcp.gemini',
  vertex_ai: 'gcp.gemini',
  vertexai: 'gcp.gemini',
  'gcp.vertex_ai': 'gcp.gemini',
  'google.vertex': 'gcp.gemini',
  mistral: 'mistral_ai',
  mistralai: 'mistral_ai',
  moonshot: 'moonshot_ai',
  moonshotai: 'moonshot_ai',
  kimi: 'moonshot_ai',
  xai: 'x_ai',
  grok: 'x_ai',
  together_ai: 'together',
  togetherai: 'together',
  fireworks_ai: 'fireworks',
  fireworksai: 'fireworks',
  bedrock: 'aws.bedrock',
  aws_bedrock: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  amazon_bedrock: 'aws.bedrock',
  meta_llama: 'meta',
  llama: 'meta',
};

/** Region prefixes of Bedrock cross-region inference profiles (`us.anthropic.claude-…`). */
const BEDROCK_REGION = /^(?:us|eu|apac|au|ca|jp|us-gov|global)\./;
/** Vendor prefixes of Bedrock model ids (`anthropic.claude-…`, `meta.llama3-…`). */
const BEDROCK_VENDOR = /^(?:anthropic|meta|mistral|amazon|cohere|ai21|deepseek|openai|qwen|writer)\./;
/** Version tail of Bedrock model ids (`-v2:0`, `:0`). */
const BEDROCK_VERSION = /(?:-v\d+(?::\d+)?|:\d+)$/;

/** One `-`-separated token a dated snapshot or release channel may add after a model id. */
const SNAPSHOT_TOKEN = /^(?:\d{2,8}|latest|preview|exp|beta|v\d+)$/;

/** The catalog's provider name for `provider` (lowercased, aliases resolved); `''` when unknown. */
export function normalizeProvider(provider: string | undefined): string {
  const key = (provider ?? '').trim().toLowerCase();
  return PROVIDER_ALIASES[key] ?? key;
}

/** `model` trimmed and lowercased: the key for exact, route-qualified matches. */
export function rawModelKey(model: string): string {
  return model.trim().toLowerCase();
}

/**
 * The bare model id inside `model`: route prefixes dropped (`openai/…`, `models/…`,
 * `accounts/fireworks/models/…`, `meta-llama/…`), Vertex `@date` turned into `-date`, and
 * Bedrock region/vendor prefixes and `-vN:M` tails removed.
 */
export function normalizeModel(model: string): string {
  let key = rawModelKey(model);
  const slash = key.lastIndexOf('/');
  if (slash >= 0) key = key.slice(slash + 1);
  key = key.replace('@', '-');
  const unregioned = key.replace(BEDROCK_REGION, '');
  const unvendored = unregioned.replace(BEDROCK_VENDOR, '');
  if (unvendored !== unregioned) key = unvendored.replace(BEDROCK_VERSION, '');
  return key;
}

/**
 * True when `rest` (text after a catalog id, starting with `-`) only names a snapshot or
 * channel: dates, numeric versions, `latest`, `preview`, `v2` … — never a variant word such
 * as `-mini` or `-lite`, so `gpt-4o` can never price `gpt-4o-mini`.
 */
export function isSnapshotSuffix(rest: string): boolean {
  if (!rest.startsWith('-') || rest.length < 2) return false;
  return rest
    .slice(1)
    .split('-')
    .every((token) => SNAPSHOT_TOKEN.test(token));
}

/**
 * Every shorter key `key` could be a snapshot of, longest first: `gpt-4o-mini-2024-07-18`
 * yields `gpt-4o-mini-2024-07`, `gpt-4o-mini-2024`, `gpt-4o-mini`, `gpt-4o`, `gpt`, each with
 * its remainder.
 */
export function* snapshotBases(key: string): Generator<[base: string, rest: string]> {
  for (let cut = key.lastIndexOf('-'); cut > 0; cut = key.lastIndexOf('-', cut - 1)) {
    yield [key.slice(0, cut), key.slice(cut)];
  }
}
