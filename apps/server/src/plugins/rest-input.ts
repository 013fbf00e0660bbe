import type { preValidationHookHandler } from "fastify";
import {
  forEachOpenApiProcedure,
  getInputOutputParsers,
  instanceofZodTypeCoercible,
  instanceofZodTypeObject,
  unwrapZodType,
  type OpenAPIObject,
  type OpenApiRouter,
} from "trpc-to-openapi";

// trpc-to-openapi reads query strings by switching on zod's coercion inside the procedures'
// input schemas, for every request, bodies too. Those schemas are the ones /trpc validates
// with, and to coercion every non-empty string is true: after one REST call, `"false"` would
// turn a preference on, over REST and tRPC alike. So the schemas refuse the switch, and REST
// query strings are read as their documented types here instead.

type ZodSchema = Parameters<typeof unwrapZodType>[0];

/** Keeps coercion off in an object schema's fields and nested objects, as trpc-to-openapi walks them. */
function refuseCoercion(schema: { shape: Record<string, ZodSchema> }): void {
  for (const field of Object.values(schema.shape)) {
    const inner = unwrapZodType(field, false);
    if (instanceofZodTypeObject(inner)) refuseCoercion(inner);
    else if (instanceofZodTypeCoercible(inner) && !inner._zod.def.coerce) {
      Object.defineProperty(inner._zod.def, "coerce", { get: () => false, set: () => undefined, configurable: true });
    }
  }
}

/** Makes every REST procedure's input schema ignore trpc-to-openapi's coercion. */
export function refuseInputCoercion(router: OpenApiRouter): void {
  forEachOpenApiProcedure(router._def.procedures, ({ procedure }) => {
    const input = unwrapZodType(getInputOutputParsers(procedure).inputParser, true);
    if (instanceofZodTypeObject(input)) refuseCoercion(input);
  });
}

type QueryType = "boolean" | "number";

/** The query parameters the document types as numbers or booleans; a name has one type across the API. */
export function typedQueryParameters(document: OpenAPIObject): Map<string, QueryType> {
  const types = new Map<string, QueryType>();
  // Only GET and DELETE take their input from the query.
  const operations = Object.values(document.paths ?? {}).flatMap(({ get, delete: remove }) => [get, remove]);
  for (const parameter of operations.flatMap((operation) => operation?.parameters ?? [])) {
    if (!("in" in parameter) || parameter.in !== "query" || !parameter.schema || !("type" in parameter.schema)) continue;
    const { type } = parameter.schema;
    if (type === "boolean") types.set(parameter.name, "boolean");
    if (type === "integer" || type === "number") types.set(parameter.name, "number");
  }
  return types;
}

// A number in a query string is written as JSON writes one: `0x10`, ` 5` or `1_000` are not numbers.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A query string as its type; left as it is when it is not one, for the schema to refuse. */
function typedValue(value: unknown, type: QueryType | undefined): unknown {
  if (typeof value !== "string") return value;
  if (type === "number" && JSON_NUMBER.test(value)) return Number(value);
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

/**
 * REST requests as trpc-to-openapi can read them, so that the procedure's own schema judges
 * them exactly as it judges tRPC input: query strings typed as the document says, each in a
 * one-item list, which trpc-to-openapi unwraps (it drops falsy values, so `limit=0` or
 * `unreadOnly=false` would otherwise vanish and fall back to their defaults); and a POST, PATCH
 * or PUT without a body (an action such as `POST /notifications/mark-all-read`, as Swagger UI
 * sends it) taken as JSON, since it wants a JSON content type on every one.
 */
export function readRestInput(types: Map<string, QueryType>): preValidationHookHandler {
  return (request, _reply, done) => {
    const query = Object.entries(request.query as Record<string, unknown>);
    request.query = Object.fromEntries(
      query.map(([name, value]) => [name, Array.isArray(value) ? value : [typedValue(value, types.get(name))]]),
    );
    if (request.body === undefined && request.headers["content-type"] === undefined) {
      request.headers["content-type"] = "application/json";
    }
    done();
  };
}
