/**
 * The envelope the three OTLP/JSON signals share: a request holds `resource<Signal>`, each of
 * those a resource and `scope<Signal>`, each of those a scope and the signal's items.
 */
import { maxDepthOf } from './decode-shared.ts';
import { resourceOf, scopeOf } from './json-attributes.ts';
import { field, type JsonObject, parseJsonBody, readList, toDecodeError } from './json-values.ts';
import type { DecodeLimits, OtlpResource, OtlpScope } from './types.ts';

type Reader<T> = (o: JsonObject, maxDepth: number) => T;

/** A JSON key in its proto3 JSON (camelCase) and original proto (snake_case) spellings. */
export type JsonKey<K extends string> = readonly [camel: K, snake: string];

/** Parses an OTLP/JSON export request and reads its one list, `key`; throws `OTLP_DECODE` naming the bad path. */
export function decodeJsonRequest<K extends string, T>(
  text: string,
  limits: DecodeLimits,
  key: JsonKey<K>,
  readItem: Reader<T>,
): Record<K, T[]> {
  const root = parseJsonBody(text);
  try {
    const list = readList(field(root, key[0], key[1]), key[0], maxDepthOf(limits), readItem);
    return { [key[0]]: list } as Record<K, T[]>;
  } catch (error) {
    throw toDecodeError(error);
  }
}

/**
 * Reads `Resource<Signal>`: the resource and its list of scopes under `key` (or `legacyKey`, the
 * pre-1.0 `instrumentationLibrary<Signal>` name).
 */
export function resourceReader<K extends string, S>(
  key: JsonKey<K>,
  legacyKey: string,
  readScope: Reader<S>,
): Reader<{ resource: OtlpResource } & Record<K, S[]>> {
  return (o, maxDepth) => {
    const resource = resourceOf(o, maxDepth);
    const scopes = readList(field(o, key[0], key[1]) ?? o[legacyKey], key[0], maxDepth, readScope);
    return { resource, [key[0]]: scopes } as { resource: OtlpResource } & Record<K, S[]>;
  };
}

/** Reads `Scope<Signal>`: the instrumentation scope and its list of items under `key`. */
export function scopeReader<K extends string, T>(
  key: JsonKey<K>,
  readItem: Reader<T>,
): Reader<{ scope: OtlpScope } & Record<K, T[]>> {
  return (o, maxDepth) => {
    const scope = scopeOf(o, maxDepth);
    return { scope, [key[0]]: readList(field(o, key[0], key[1]), key[0], maxDepth, readItem) } as {
      scope: OtlpScope;
    } & Record<K, T[]>;
  };
}
