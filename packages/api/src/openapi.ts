import { forEachOpenApiProcedure, generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { API_TAGS, type ApiMeta, type ListedRefusal, type OperationExample } from "./api-meta.ts";
import { appRouter } from "./root.ts";

/** Where the REST API is served; every operation's path is relative to it. */
export const REST_BASE_PATH = "/api/v1";

const BEARER_AUTH = "bearerAuth";

const DESCRIPTION = `The DayCarat backend as REST: every procedure of the tRPC API at \`/trpc\` is also served here,
by the same implementation, with the same rules and errors.

- **Sign in** with \`POST /auth/kakao\`, \`/auth/apple\` or, outside production, \`/auth/dev\` (an email alone).
  Send the \`accessToken\` as \`Authorization: Bearer …\`; it lasts 15 minutes. \`POST /auth/refresh\` trades the
  refresh token for a new pair; refresh tokens rotate on every use.
- **Queries** are \`GET\` with query parameters; **changes** are \`POST\`, \`PATCH\`, \`PUT\` or \`DELETE\` with a JSON body.
- **Errors** answer with the HTTP status of their stable \`code\` (\`BAD_REQUEST\` 400, \`UNAUTHORIZED\` 401,
  \`FORBIDDEN\` 403, \`NOT_FOUND\` 404, \`CONFLICT\` 409, \`TOO_MANY_REQUESTS\` 429, \`INTERNAL_SERVER_ERROR\` 500) and a
  \`message\`; a \`BAD_REQUEST\` lists each offending field in \`issues\` (and in \`data.issues\` as \`{ path, message }\`).
  Another user's resource is \`NOT_FOUND\`.
- Dates are ISO-8601 strings; calendar dates are \`YYYY-MM-DD\`. Lists page with the \`nextCursor\` they return.
- The live inbox (\`notifications.onNew\`) is a server-sent-events subscription of the tRPC API only.`;

type Operation = NonNullable<NonNullable<OpenAPIObject["paths"]>[string]["get"]>;
type SchemaObject = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

/** The repository is private and carries no licence (all rights reserved); the document says so rather than nothing. */
const LICENSE = { name: "Proprietary: all rights reserved", identifier: "LicenseRef-DayCarat-Proprietary" };

const REFUSAL_RESPONSES: Record<ListedRefusal, { status: string; message: string }> = {
  CONFLICT: { status: "409", message: "Conflict" },
  TOO_MANY_REQUESTS: { status: "429", message: "Too many requests" },
};

/**
 * The schema of a refusal's body, in the shape trpc-to-openapi gives the errors it lists itself:
 * a copy of the 500's (every operation lists one) with the refusal's code and message.
 */
function refusalSchema(document: OpenAPIObject, code: ListedRefusal): { $ref: string } {
  const schemas = ((document.components ??= {}).schemas ??= {});
  const id = `error.${code}`;
  const { status, message } = REFUSAL_RESPONSES[code];
  if (!schemas[id]) {
    const schema = structuredClone(schemas["error.INTERNAL_SERVER_ERROR"]) as SchemaObject | undefined;
    if (!schema?.properties?.code || !schema.properties.message) throw new Error("no error schema to copy for a refusal");
    schema.properties.code.example = code;
    schema.properties.message.example = message;
    schema.title = `${message} error (${status})`;
    schema.example = { code, message, issues: [] };
    schemas[id] = schema;
  }
  return { $ref: `#/components/schemas/${id}` };
}

/** Puts an example on the operation's request and 200 response. */
function addExample(operation: Operation, { request, response }: OperationExample): void {
  const body = operation.requestBody && "content" in operation.requestBody ? operation.requestBody.content["application/json"] : undefined;
  if (request && body) body.example = request;
  for (const parameter of operation.parameters ?? []) {
    if (request && "name" in parameter && parameter.name in request) parameter.example = request[parameter.name];
  }
  const success = operation.responses?.["200"] as { content?: Record<string, { example?: unknown }> } | undefined;
  const successBody = success?.content?.["application/json"];
  if (response !== undefined && successBody) successBody.example = response;
}

/**
 * Completes each procedure's operation: its example, the refusals it can answer, and, on the
 * public ones, an explicit `security: []` (none needed), which tools read differently from
 * "not said".
 */
function completeOperations(document: OpenAPIObject): void {
  forEachOpenApiProcedure<ApiMeta>(appRouter._def.procedures, ({ meta: { openapi } }) => {
    const method = openapi.method.toLowerCase() as "get" | "post" | "patch" | "put" | "delete";
    const operation: Operation | undefined = document.paths?.[openapi.path]?.[method];
    if (!operation) throw new Error(`no operation ${openapi.method} ${openapi.path}`);
    if (openapi.example) addExample(operation, openapi.example);
    for (const code of openapi.refusals ?? []) {
      operation.responses ??= {};
      operation.responses[REFUSAL_RESPONSES[code].status] = {
        description: REFUSAL_RESPONSES[code].message,
        content: { "application/json": { schema: refusalSchema(document, code) } },
      };
    }
    operation.security ??= [];
  });
}

/**
 * The OpenAPI 3.1 document of the REST API, built from the router: each procedure with an
 * `openapi` meta is an operation. Without `baseUrl` the server is relative to the document's
 * own address, so the documentation works behind any host or proxy.
 */
export function openApiDocument(baseUrl = ""): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "DayCarat API",
    version: "1.0.0",
    description: DESCRIPTION,
    license: LICENSE,
    baseUrl: `${baseUrl}${REST_BASE_PATH}`,
    securitySchemes: {
      [BEARER_AUTH]: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description: "The `accessToken` of a sign-in (`POST /auth/dev` in development).",
      },
    },
  });
  // trpc-to-openapi takes tags by name only.
  document.tags = API_TAGS.map((tag) => ({ ...tag }));
  completeOperations(document);
  return document;
}
