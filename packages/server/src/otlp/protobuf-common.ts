/**
 * Protobuf decoding of the messages every signal shares (opentelemetry/proto/common/v1 and
 * resource/v1). Switches match whole tags (`field << 3 | wire type`) so the expected case is one
 * comparison; anything else goes through `skipField`, which rejects known fields with a wrong
 * wire type and skips unknown ones.
 */
import { newAttrMap, truncatedValue } from './decode-shared.ts';
import type { ProtobufReader } from './protobuf-reader.ts';
import { wireTypesOf } from './protobuf-wire.ts';
import type { AttrMap, AttrValue, OtlpResource, OtlpScope } from './types.ts';

const ANY_VALUE_WIRES = wireTypesOf([10, 16, 24, 33, 42, 50, 58]);
const VALUES_WIRES = wireTypesOf([10]);
const KEY_VALUE_WIRES = wireTypesOf([10, 18]);
const RESOURCE_WIRES = wireTypesOf([10, 16, 26]);
const SCOPE_WIRES = wireTypesOf([10, 18, 26, 32]);

/** Export*ServiceRequest: field 1 is the list of Resource* messages. */
export const REQUEST_WIRES = wireTypesOf([10]);
/**
 * Resource{Spans,Logs,Metrics}: resource, scope list, schema_url. Field 1000 is the pre-1.0
 * `instrumentation_library_*` list; old senders still use it and its layout matches the scope
 * message, so decoders read it as one.
 */
export const RESOURCE_LIST_WIRES = wireTypesOf([10, 18, 26, 8002]);
/** Scope{Spans,Logs,Metrics}: scope, item list, schema_url. */
export const SCOPE_LIST_WIRES = wireTypesOf([10, 18, 26]);

/**
 * Reads a length-delimited AnyValue at nesting `depth` (an attribute value is depth 1). Past the
 * reader's depth limit the bytes are skipped unread, so recursion stays bounded.
 */
export function readAnyValue(r: ProtobufReader, depth: number): AttrValue {
  if (depth > r.maxDepth) {
    const len = r.length();
    r.pos += len;
    return truncatedValue(r.maxDepth);
  }
  const outer = r.enter();
  let value: AttrValue = null;
  while (r.pos < r.end) {
    const tag = r.uint32();
    switch (tag) {
      case 10: // 1 string_value
        value = r.string();
        break;
      case 16: // 2 bool_value
        value = r.bool();
        break;
      case 24: // 3 int_value
        value = r.int64();
        break;
      case 33: // 4 double_value
        value = r.double();
        break;
      case 42: // 5 array_value
        value = readArrayValue(r, depth);
        break;
      case 50: // 6 kvlist_value
        value = readKeyValueList(r, depth);
        break;
      case 58: // 7 bytes_value
        value = r.base64();
        break;
      default:
        r.skipField(tag, ANY_VALUE_WIRES, 'AnyValue');
    }
  }
  r.leave(outer);
  return value;
}

function readArrayValue(r: ProtobufReader, depth: number): AttrValue[] {
  const outer = r.enter();
  const values: AttrValue[] = [];
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) values.push(readAnyValue(r, depth + 1));
    else r.skipField(tag, VALUES_WIRES, 'ArrayValue');
  }
  r.leave(outer);
  return values;
}

function readKeyValueList(r: ProtobufReader, depth: number): AttrMap {
  const outer = r.enter();
  const map = newAttrMap();
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) readKeyValue(r, map, depth + 1);
    else r.skipField(tag, VALUES_WIRES, 'KeyValueList');
  }
  r.leave(outer);
  return map;
}

/** Reads one length-delimited KeyValue into `map`; its value is at nesting `depth`. */
export function readKeyValue(r: ProtobufReader, map: AttrMap, depth: number): void {
  const outer = r.enter();
  let key = '';
  let value: AttrValue = null;
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) key = r.string();
    else if (tag === 18) value = readAnyValue(r, depth);
    else r.skipField(tag, KEY_VALUE_WIRES, 'KeyValue');
  }
  r.leave(outer);
  map[key] = value;
}

/** Reads a length-delimited Resource. */
export function readResource(r: ProtobufReader): OtlpResource {
  const outer = r.enter();
  const attributes = newAttrMap();
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) readKeyValue(r, attributes, 1);
    else r.skipField(tag, RESOURCE_WIRES, 'Resource');
  }
  r.leave(outer);
  return { attributes };
}

/** Reads a length-delimited InstrumentationScope. */
export function readScope(r: ProtobufReader): OtlpScope {
  const outer = r.enter();
  let name = '';
  let version = '';
  const attributes = newAttrMap();
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) name = r.string();
    else if (tag === 18) version = r.string();
    else if (tag === 26) readKeyValue(r, attributes, 1);
    else r.skipField(tag, SCOPE_WIRES, 'InstrumentationScope');
  }
  r.leave(outer);
  return { name, version, attributes };
}
