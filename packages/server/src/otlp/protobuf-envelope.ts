/**
 * The envelope the three OTLP/protobuf signals share: an export request repeats `Resource<Signal>`
 * (field 1), each of those a resource (1) and repeated `Scope<Signal>` (2, or 1000, the pre-1.0
 * `instrumentation_library_<signal>`), each of those a scope (1) and the signal's items (2).
 */
import { emptyResource, emptyScope, maxDepthOf } from './decode-shared.ts';
import type { Envelope, SignalLists } from './json-envelope.ts';
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

/**
 * A message of a head (field 1) and a repeated field (its `tags`), e.g. `ScopeSpans`: the head's
 * key in the decoded object, how to read it, its value when absent, and the message's wire types.
 */
type Container<H> = readonly [key: string, read: Reader<H>, empty: () => H, tags: number[], wires: Int8Array];

const SCOPE: Container<OtlpScope> = ['scope', readScope, emptyScope, [18], SCOPE_LIST_WIRES];
const RESOURCE: Container<OtlpResource> = [
  'resource',
  readResource,
  emptyResource,
  [18, 8002],
  RESOURCE_LIST_WIRES,
];

/**
 * The OTLP/protobuf decoder of one signal whose items `readItem` reads; `request` names the
 * export request message in errors. It throws `OTLP_DECODE` on malformed input.
 */
export function protobufDecoder<R extends string, S extends string, I extends string, T>(
  lists: SignalLists<R, S, I>,
  request: string,
  readItem: Reader<T>,
): (buf: Uint8Array, limits: DecodeLimits) => Envelope<R, S, I, T> {
  const [resources, scopes, items] = lists;
  const readScopeList = containerReader(SCOPE, { message: capitalized(scopes), listKey: items }, readItem);
  const readResourceList = containerReader(
    RESOURCE,
    { message: capitalized(resources), listKey: scopes },
    readScopeList,
  );
  return (buf, limits) => {
    const r = new ProtobufReader(buf, maxDepthOf(limits));
    const list: unknown[] = [];
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag === 10) list.push(readResourceList(r));
      else r.skipField(tag, REQUEST_WIRES, request);
    }
    return { [resources]: list } as Envelope<R, S, I, T>;
  };
}

/** Reads one `container` message, named `message` in errors, as `{ [key]: head, [listKey]: items }`. */
function containerReader<H, T>(
  container: Container<H>,
  names: { message: string; listKey: string },
  readItem: Reader<T>,
): Reader<object> {
  const [key, readHead, emptyHead, tags, wires] = container;
  return (r) => {
    const outer = r.enter();
    let head = emptyHead();
    const list: T[] = [];
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag === 10) head = readHead(r);
      else if (tags.includes(tag)) list.push(readItem(r));
      else r.skipField(tag, wires, names.message);
    }
    r.leave(outer);
    return { [key]: head, [names.listKey]: list };
  };
}

function capitalized(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
