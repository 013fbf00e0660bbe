import { createRequire } from "node:module";
import type { FastifyServerOptions } from "fastify";

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>;
type ValidatorFactory = NonNullable<CompilersFactory["buildValidator"]>;
type SerializerFactory = NonNullable<CompilersFactory["buildSerializer"]>;

const require = createRequire(import.meta.url);

/**
 * Fastify's own JSON-schema compilers (ajv, fast-json-stringify), each loaded when a route first
 * needs it. The API validates with zod and no route declares a JSON schema to check or to
 * serialise with, so neither is loaded; Fastify otherwise requires both as it is constructed, a
 * seventh of a start and 4 MB of an idle server (BENCHMARKS.md). As with any compiler given to
 * Fastify, a `headers` schema reaches it as written, its keys not lower-cased first.
 */
export function lazySchemaCompilers(): CompilersFactory {
  let validators: ValidatorFactory | undefined;
  let serializers: SerializerFactory | undefined;
  return {
    buildValidator: (externalSchemas, options) => {
      validators ??= (require("@fastify/ajv-compiler") as () => ValidatorFactory)();
      return validators(externalSchemas, options);
    },
    buildSerializer: (externalSchemas, options) => {
      serializers ??= (require("@fastify/fast-json-stringify-compiler") as () => SerializerFactory)();
      return serializers(externalSchemas, options);
    },
  };
}
