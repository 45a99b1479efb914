/**
 * OTLP/JSON attributes: AnyValue (with the depth limit the protobuf decoder applies too),
 * KeyValue lists, Resource and InstrumentationScope.
 */
import { emptyResource, emptyScope, newAttrMap, truncatedValue } from './decode-shared.ts';
import {
  arrayField,
  asObject,
  boolField,
  doubleField,
  int64Field,
  type JsonObject,
  objectField,
  stringField,
  within,
  wrongType,
} from './json-values.ts';
import type { AttrMap, AttrValue, OtlpResource, OtlpScope } from './types.ts';

/**
 * Reads an AnyValue at nesting `depth` (an attribute value is depth 1); past `maxDepth` the
 * value is replaced without being read, so recursion stays bounded.
 */
export function anyValue(value: unknown, depth: number, maxDepth: number): AttrValue {
  if (value === undefined || value === null) return null;
  if (depth > maxDepth) return truncatedValue(maxDepth);
  const o = asObject(value);
  const text = o.stringValue;
  return typeof text === 'string' ? text : otherValue(o, depth, maxDepth);
}

// camelCase first, then leniently snake_case (proto3 JSON encoders run with original field
// names write it); both halves in the same order, so `i % 7` tells the kind.
const VALUE_KEYS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
  'string_value',
  'bool_value',
  'int_value',
  'double_value',
  'array_value',
  'kvlist_value',
  'bytes_value',
];

function otherValue(o: JsonObject, depth: number, maxDepth: number): AttrValue {
  for (let i = 0; i < VALUE_KEYS.length; i++) {
    const key = VALUE_KEYS[i]!;
    const v = o[key];
    if (v === undefined || v === null) continue;
    switch (i % 7) {
      case 1:
        return boolField(v, key);
      case 2:
        return int64Field(v, key);
      case 3:
        return doubleField(v, key);
      case 4:
        return arrayValue(v, key, depth, maxDepth);
      case 5:
        return kvlistValue(v, key, depth, maxDepth);
      default: // string_value and bytes_value (which stays base64, as OTLP/JSON carries it)
        return stringField(v, key);
    }
  }
  return null;
}

function arrayValue(value: unknown, name: string, depth: number, maxDepth: number): AttrValue[] {
  const items = arrayField(asObjectField(value, name).values, `${name}.values`);
  const out: AttrValue[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      out.push(anyValue(items[i], depth + 1, maxDepth));
    } catch (error) {
      within(error, `${name}.values[${i}]`);
    }
  }
  return out;
}

function kvlistValue(value: unknown, name: string, depth: number, maxDepth: number): AttrMap {
  const map = newAttrMap();
  readKeyValues(asObjectField(value, name).values, `${name}.values`, map, depth + 1, maxDepth);
  return map;
}

function asObjectField(value: unknown, name: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw wrongType(name, value, 'an object');
  return value as JsonObject;
}

/** Reads a repeated KeyValue field into `map`; values are at nesting `depth`. */
export function readKeyValues(
  value: unknown,
  name: string,
  map: AttrMap,
  depth: number,
  maxDepth: number,
): void {
  const items = arrayField(value, name);
  for (let i = 0; i < items.length; i++) {
    try {
      const kv = asObject(items[i]);
      const key = stringField(kv.key, 'key');
      try {
        map[key] = anyValue(kv.value, depth, maxDepth);
      } catch (error) {
        within(error, 'value');
      }
    } catch (error) {
      within(error, `${name}[${i}]`);
    }
  }
}

/** Reads the `attributes` of an object into a fresh map. */
export function attributesOf(o: JsonObject, maxDepth: number): AttrMap {
  const map = newAttrMap();
  readKeyValues(o.attributes, 'attributes', map, 1, maxDepth);
  return map;
}

/** The `resource` of a Resource* object. */
export function resourceOf(o: JsonObject, maxDepth: number): OtlpResource {
  const resource = objectField(o.resource, 'resource');
  if (resource === undefined) return emptyResource();
  try {
    return { attributes: attributesOf(resource, maxDepth) };
  } catch (error) {
    within(error, 'resource');
  }
}

/** The `scope` of a Scope* object (or the pre-1.0 `instrumentationLibrary`). */
export function scopeOf(o: JsonObject, maxDepth: number): OtlpScope {
  const name = o.scope === undefined ? 'instrumentationLibrary' : 'scope';
  const scope = objectField(o[name], name);
  if (scope === undefined) return emptyScope();
  try {
    return {
      name: stringField(scope.name, 'name'),
      version: stringField(scope.version, 'version'),
      attributes: attributesOf(scope, maxDepth),
    };
  } catch (error) {
    within(error, name);
  }
}
