import { forEachOpenApiProcedure, generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { API_TAGS, type ApiMeta } from "./api-meta.ts";
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

/** Puts each procedure's example on its operation's request and 200 response. */
function addExamples(document: OpenAPIObject): void {
  forEachOpenApiProcedure<ApiMeta>(appRouter._def.procedures, ({ meta: { openapi } }) => {
    if (!openapi.example) return;
    const method = openapi.method.toLowerCase() as "get" | "post" | "patch" | "put" | "delete";
    const operation: Operation | undefined = document.paths?.[openapi.path]?.[method];
    if (!operation) throw new Error(`no operation ${openapi.method} ${openapi.path} for its example`);
    const { request, response } = openapi.example;
    const body = operation.requestBody && "content" in operation.requestBody ? operation.requestBody.content["application/json"] : undefined;
    if (request && body) body.example = request;
    for (const parameter of operation.parameters ?? []) {
      if (request && "name" in parameter && parameter.name in request) parameter.example = request[parameter.name];
    }
    const success = operation.responses?.["200"] as { content?: Record<string, { example?: unknown }> } | undefined;
    const successBody = success?.content?.["application/json"];
    if (response !== undefined && successBody) successBody.example = response;
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
    baseUrl: `${baseUrl}${REST_BASE_PATH}`,
    tags: [...API_TAGS],
    securitySchemes: {
      [BEARER_AUTH]: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description: "The `accessToken` of a sign-in (`POST /auth/dev` in development).",
      },
    },
  });
  addExamples(document);
  return document;
}
