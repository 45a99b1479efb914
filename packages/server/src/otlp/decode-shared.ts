/**
 * Rules and constructors both decoders share, so protobuf and JSON bodies of the same request
 * decode to identical objects.
 */
import type { AttrMap, DecodeLimits, OtlpDataPoint, OtlpResource, OtlpScope } from './types.ts';

// Decoding AnyValue recurses once per level; a cap far above any real payload keeps a
// misconfigured limit from turning hostile nesting into a stack overflow.
const HARD_MAX_DEPTH = 256;

/**
 * The nesting depth the decoders allow: an attribute's (or log body's) value is at depth 1 and
 * each array or kvlist adds one; values deeper than this are replaced by {@link truncatedValue}.
 */
export function maxDepthOf(limits: DecodeLimits): number {
  const depth = limits.maxAttributeDepth;
  if (!(depth >= 0)) return 0;
  return depth > HARD_MAX_DEPTH ? HARD_MAX_DEPTH : Math.floor(depth);
}

/** The string that replaces an AnyValue nested deeper than `maxDepth`. */
export function truncatedValue(maxDepth: number): string {
  return `[argus: truncated, depth > ${maxDepth}]`;
}

/** A fresh attribute map; a null prototype makes a hostile key such as `__proto__` just a key. */
export function newAttrMap(): AttrMap {
  return Object.create(null) as AttrMap;
}

/** The resource of a Resource* message that carried none. */
export function emptyResource(): OtlpResource {
  return { attributes: newAttrMap() };
}

/** The scope of a Scope* message that carried none. */
export function emptyScope(): OtlpScope {
  return { name: '', version: '', attributes: newAttrMap() };
}

/** A data point with the fields every metric type has, at their defaults. */
export function newPoint(): OtlpDataPoint {
  return { attributes: newAttrMap(), startTimeUnixNano: 0n, timeUnixNano: 0n, flags: 0, exemplars: [] };
}
