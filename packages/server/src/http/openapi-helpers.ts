/** Building blocks of the OpenAPI document's parts: schemas, bodies, answers and parameters. */
import { z } from 'zod';

/** A JSON Schema or OpenAPI object. */
export type Schema = Record<string, unknown>;

/** A reference to a component schema. */
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** A reference to a component parameter (the query API's shared `from`, `to`, `limit` …). */
export const paramRef = (name: string): Schema => ({ $ref: `#/components/parameters/${name}` });

/** A string, and a date-time string. */
export const STRING: Schema = { type: 'string' };
export const DATE_TIME: Schema = { type: 'string', format: 'date-time' };

/** A number and a boolean. */
export const NUMBER: Schema = { type: 'number' };
export const BOOLEAN: Schema = { type: 'boolean' };

/** A required path parameter (a string), `id` unless named. */
export const pathParam = (name = 'id') => ({ name, in: 'path', required: true, schema: STRING });

/** An object schema whose listed properties are all required unless named in `optional`. */
export function object(properties: Record<string, Schema>, optional: readonly string[] = []): Schema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
  };
}

/** The JSON Schema of a request as a zod schema validates it. */
export function fromZod(schema: z.ZodType): Schema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

/** A JSON answer. */
export const jsonAnswer = (schema: Schema, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

/** A JSON answer `{ data: schema }`, and one whose data is a list of `schema`. */
export const dataAnswer = (schema: Schema, description = 'OK') =>
  jsonAnswer(object({ data: schema }), description);
export const listAnswer = (schema: Schema) => dataAnswer({ type: 'array', items: schema });

/** A required JSON request body. */
export const jsonBody = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });

/** A query parameter. */
export const queryParam = (name: string, description: string, schema: Schema = STRING) => ({
  name,
  in: 'query',
  description,
  schema,
});

/** The shared 400 and 404 answers. */
export const BAD_REQUEST: Schema = { $ref: '#/components/responses/BadRequest' };
export const NOT_FOUND: Schema = { $ref: '#/components/responses/NotFound' };

/** The query parameters a zod object schema validates, in its order, with their limits and descriptions. */
export function queryParams(schema: z.ZodObject): Schema[] {
  const json = fromZod(schema) as { properties?: Record<string, Schema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: 'query',
    ...(json.required?.includes(name) ? { required: true } : {}),
    ...(typeof description === 'string' ? { description } : {}),
    schema: property,
  }));
}
