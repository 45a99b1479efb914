/**
 * The envelope the three OTLP/protobuf signals share: an export request repeats `Resource<Signal>`
 * (field 1), each of those a resource (1) and repeated `Scope<Signal>` (2, or 1000, the pre-1.0
 * `instrumentation_library_<signal>`), each of those a scope (1) and the signal's items (2).
 */
import { emptyResource, emptyScope, maxDepthOf } from './decode-shared.ts';
import {
  REQUEST_WIRES,
  RESOURCE_LIST_WIRES,
  readResource,
  readScope,
  SCOPE_LIST_WIRES,
} from './protobuf-common.ts';
import { ProtobufReader } from './protobuf-reader.ts';
import type { DecodeLimits, OtlpResource, OtlpScope } from './types.ts';

type Reader<T> = (r: ProtobufReader) => T;

/** Decodes an export request (message `message`) whose one list is `key`; throws `OTLP_DECODE` on malformed input. */
export function decodeProtobufRequest<K extends string, T>(
  buf: Uint8Array,
  limits: DecodeLimits,
  request: { key: K; message: string },
  readItem: Reader<T>,
): Record<K, T[]> {
  const r = new ProtobufReader(buf, maxDepthOf(limits));
  const items: T[] = [];
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) items.push(readItem(r));
    else r.skipField(tag, REQUEST_WIRES, request.message);
  }
  return { [request.key]: items } as Record<K, T[]>;
}

/** Reads `Resource<Signal>` (message `message`): the resource and its scopes, listed under `key`. */
export function resourceReader<K extends string, S>(
  key: K,
  message: string,
  readScope: Reader<S>,
): Reader<{ resource: OtlpResource } & Record<K, S[]>> {
  return (r) => {
    const outer = r.enter();
    let resource = emptyResource();
    const scopes: S[] = [];
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag === 10) resource = readResource(r);
      else if (tag === 18 || tag === 8002) scopes.push(readScope(r));
      else r.skipField(tag, RESOURCE_LIST_WIRES, message);
    }
    r.leave(outer);
    return { resource, [key]: scopes } as { resource: OtlpResource } & Record<K, S[]>;
  };
}

/** Reads `Scope<Signal>` (message `message`): the instrumentation scope and its items, listed under `key`. */
export function scopeReader<K extends string, T>(
  key: K,
  message: string,
  readItem: Reader<T>,
): Reader<{ scope: OtlpScope } & Record<K, T[]>> {
  return (r) => {
    const outer = r.enter();
    let scope = emptyScope();
    const items: T[] = [];
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag === 18) items.push(readItem(r));
      else if (tag === 10) scope = readScope(r);
      else r.skipField(tag, SCOPE_LIST_WIRES, message);
    }
    r.leave(outer);
    return { scope, [key]: items } as { scope: OtlpScope } & Record<K, T[]>;
  };
}
