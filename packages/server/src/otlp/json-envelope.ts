/**
 * The envelope the three OTLP/JSON signals share: a request holds `resource<Signal>`, each of
 * those a resource and `scope<Signal>`, each of those a scope and the signal's items.
 */
import { maxDepthOf } from './decode-shared.ts';
import { resourceOf, scopeOf } from './json-attributes.ts';
import { field, type JsonObject, parseJsonBody, readList, toDecodeError } from './json-values.ts';
import type { DecodeLimits, OtlpResource, OtlpScope } from './types.ts';

type Reader<T> = (o: JsonObject, maxDepth: number) => T;

/** A signal's list names in proto3 JSON (camelCase): request, resource and scope lists. */
export type SignalLists<R extends string, S extends string, I extends string> = readonly [
  resources: R,
  scopes: S,
  items: I,
];

/** What a signal's decoder answers: resources, each with its scopes, each with its items. */
export type Envelope<R extends string, S extends string, I extends string, T> = Record<
  R,
  ({ resource: OtlpResource } & Record<S, ({ scope: OtlpScope } & Record<I, T[]>)[]>)[]
>;

/**
 * The OTLP/JSON decoder of one signal whose items `readItem` reads; it throws `OTLP_DECODE`
 * naming the bad path. Lists are also read under their snake_case names, and the scope list
 * under its pre-1.0 `instrumentationLibrary<Signal>` name.
 */
export function jsonDecoder<R extends string, S extends string, I extends string, T>(
  lists: SignalLists<R, S, I>,
  readItem: Reader<T>,
): (text: string, limits: DecodeLimits) => Envelope<R, S, I, T> {
  const [resources, scopes, items] = lists;
  const legacyScopes = scopes.replace(/^scope/, 'instrumentationLibrary');
  const readScope: Reader<{ scope: OtlpScope } & Record<I, T[]>> = (o, maxDepth) => {
    const scope = scopeOf(o, maxDepth);
    return { scope, [items]: readList(field(o, items, snake(items)), items, maxDepth, readItem) } as {
      scope: OtlpScope;
    } & Record<I, T[]>;
  };
  const readResource: Reader<Envelope<R, S, I, T>[R][number]> = (o, maxDepth) => {
    const resource = resourceOf(o, maxDepth);
    const list = field(o, scopes, snake(scopes)) ?? o[legacyScopes];
    return { resource, [scopes]: readList(list, scopes, maxDepth, readScope) } as Envelope<
      R,
      S,
      I,
      T
    >[R][number];
  };
  return (text, limits) => {
    const root = parseJsonBody(text);
    try {
      const list = readList(
        field(root, resources, snake(resources)),
        resources,
        maxDepthOf(limits),
        readResource,
      );
      return { [resources]: list } as Envelope<R, S, I, T>;
    } catch (error) {
      throw toDecodeError(error);
    }
  };
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
