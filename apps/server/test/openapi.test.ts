import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { AnyProcedure } from "@trpc/server";
import { getInputOutputParsers, type OpenApiProcedure } from "trpc-to-openapi";
import { describe, expect, it } from "vitest";
import { API_TAGS, appRouter, type ApiMeta } from "@daycarat/api";
import { startTestApi } from "./test-server.ts";

// The OpenAPI document the real server publishes: a valid OpenAPI 3.1 document in which every
// procedure of the router is an operation, with its tag and, where it needs a user, bearer auth.

const api = await startTestApi();

interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { example?: unknown; schema?: JsonSchema }> };
  parameters?: { name: string; in: string; example?: unknown; schema?: JsonSchema & { default?: unknown } }[];
  responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
}

const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as OpenApiDocument;

const operations = Object.entries(document.paths).flatMap(([path, pathItem]) =>
  Object.entries(pathItem).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);

// At run time the router's procedures are a flat record keyed by their dotted path.
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>).map(([path, procedure]) => {
  // The zod schemas tRPC checks input and output with: examples must pass them.
  const { inputParser, outputParser } = getInputOutputParsers(procedure as OpenApiProcedure);
  return {
    path,
    type: procedure._def.type,
    openapi: (procedure._def.meta as ApiMeta | undefined)?.openapi,
    input: inputParser,
    output: outputParser,
  };
});

// Subscriptions stream server-sent events over tRPC's own protocol, which OpenAPI cannot
// describe and trpc-to-openapi refuses: notifications.onNew stays on /trpc only.
const restProcedures = procedures.filter((procedure) => procedure.type !== "subscription");

function operationOf(openapi: NonNullable<ApiMeta["openapi"]>): Operation | undefined {
  return document.paths[openapi.path]?.[openapi.method.toLowerCase()];
}

const anyId = "0193f1c2-7a4b-7c3d-9e8f-0a1b2c3d4e5f";

/** The path's parameters (an example leaves them out), each given an id. */
const pathParameters = (path: string): Record<string, string> =>
  Object.fromEntries((path.match(/\{\w+\}/g) ?? []).map((parameter) => [parameter.slice(1, -1), anyId]));

/** The request example an operation shows: on its JSON body, or on its query parameters. */
function shownRequestExample(operation: Operation | undefined): unknown {
  const parameters = (operation?.parameters ?? []).filter((parameter) => parameter.example !== undefined);
  return (
    operation?.requestBody?.content["application/json"]?.example ??
    Object.fromEntries(parameters.map(({ name, example }) => [name, example]))
  );
}

/** The request path's pattern as trpc-to-openapi matches it: a path parameter is one segment. */
const pathPattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`, "i");

describe("the OpenAPI document at /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document of the DayCarat API, served under /api/v1", async () => {
    // A copy as a plain record: the validator takes one, and may change it.
    const result = await new Validator().validate({ ...structuredClone(document) });
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.title).toBe("DayCarat API");
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(document.servers).toEqual([{ url: "/api/v1" }]);
  });

  it("is the document Swagger UI at /docs loads", async () => {
    const served = (await (await fetch(`${api.url}/docs/json`)).json()) as OpenApiDocument;
    expect(served).toEqual(document);
  });

  it("has an operation for every procedure but subscriptions, and nothing else", () => {
    expect(procedures.filter((procedure) => procedure.type === "subscription").map((procedure) => procedure.path)).toEqual([
      "notifications.onNew",
    ]);
    for (const procedure of restProcedures) {
      expect(procedure.openapi, `${procedure.path} has no openapi meta`).toBeDefined();
      const operation = procedure.openapi && operationOf(procedure.openapi);
      expect(operation?.operationId, `${procedure.path}: ${procedure.openapi?.method} ${procedure.openapi?.path}`).toBe(
        procedure.path.replaceAll(".", "-"),
      );
      expect(operation?.summary, procedure.path).toBeTruthy();
      // Queries read, mutations change.
      if (procedure.type === "query") expect(procedure.openapi?.method, procedure.path).toBe("GET");
      else expect(procedure.openapi?.method, procedure.path).not.toBe("GET");
    }
    expect(operations).toHaveLength(restProcedures.length);
  });

  it("routes every request to its own operation: no path of a method shadows another", () => {
    for (const a of operations) {
      for (const b of operations) {
        if (a === b || a.method !== b.method) continue;
        expect(pathPattern(a.path).test(b.path), `${a.method} ${a.path} would take ${b.path}`).toBe(false);
      }
    }
  });

  it("declares bearer (JWT) auth, on exactly the operations that refuse an anonymous caller", async () => {
    expect(Object.keys(document.components.securitySchemes)).toEqual(["bearerAuth"]);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    for (const { path, method, operation } of operations) {
      const response = await fetch(`${api.url}/api/v1${path.replace(/\{[^}]+\}/g, anyId)}`, {
        method,
        ...(method === "GET" || method === "DELETE" ? {} : { headers: { "content-type": "application/json" }, body: "{}" }),
      });
      // A public operation says so with `security: []`, rather than saying nothing.
      const expected = response.status === 401 ? [{ bearerAuth: [] }] : [];
      expect(operation.security, `${method} ${path} answered ${response.status}`).toEqual(expected);
    }
    // Only signing in (and out) is open to anonymous callers.
    const open = operations.filter(({ operation }) => operation.security?.length === 0).map(({ path }) => path);
    expect(open).toEqual(["/auth/kakao", "/auth/apple", "/auth/dev", "/auth/refresh", "/auth/sign-out"]);
  });

  it("types each query parameter one way across the API, a boolean one defaulting to false", () => {
    // The server reads query strings by these names' types, and a "false" as the default.
    const queryParameters = operations.flatMap(({ operation }) =>
      (operation.parameters ?? []).filter((parameter) => parameter.in === "query"),
    );
    const typesByName = new Map<string, Set<string | undefined>>();
    for (const { name, schema } of queryParameters) typesByName.set(name, (typesByName.get(name) ?? new Set()).add(schema?.type));
    for (const [name, types] of typesByName) expect([...types], name).toHaveLength(1);
    const booleans = queryParameters.filter(({ schema }) => schema?.type === "boolean");
    expect(booleans.length).toBeGreaterThan(0);
    for (const { name, schema } of booleans) expect(schema?.default, name).toBe(false);
  });

  it("lists the API's areas as described tags, each operation under one of them", () => {
    const tagNames = API_TAGS.map((tag) => tag.name);
    expect(document.tags.map((tag) => tag.name)).toEqual(tagNames);
    for (const tag of document.tags) expect(tag.description, tag.name).toMatch(/\w{3}/);
    for (const { path, method, operation } of operations) {
      expect(operation.tags, `${method} ${path}`).toHaveLength(1);
      expect(tagNames, `${method} ${path}`).toContain(operation.tags?.[0]);
    }
    const used = new Set(operations.flatMap(({ operation }) => operation.tags));
    expect([...used].sort()).toEqual([...tagNames].sort());
  });

  it("shows examples that the procedures accept and return", () => {
    const withExamples = restProcedures.flatMap((procedure) => {
      const { openapi } = procedure;
      return openapi?.example ? [{ ...procedure, openapi, example: openapi.example }] : [];
    });
    expect(withExamples.length).toBeGreaterThanOrEqual(5);
    for (const { path, openapi, example, input, output } of withExamples) {
      const operation = operationOf(openapi);
      if (example.request) {
        expect(input.safeParse({ ...pathParameters(openapi.path), ...example.request }).error, path).toBeUndefined();
        expect(shownRequestExample(operation), path).toEqual(example.request);
      }
      if (example.response !== undefined) {
        expect(output?.safeParse(example.response).error, path).toBeUndefined();
        expect(operation?.responses["200"]?.content?.["application/json"]?.example, path).toEqual(example.response);
      }
    }
  });

  it("passes Redocly's recommended rules without an error or a warning", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({ source: JSON.stringify(document), config });
    expect(
      problems.map(({ severity, ruleId, message, location }) => `${severity} ${ruleId} at ${location[0]?.pointer}: ${message}`),
    ).toEqual([]);
  });

  it("states every free-text input's length limit as maxLength", () => {
    const bodyOf = (method: string, path: string) =>
      document.paths[path]?.[method]?.requestBody?.content["application/json"]?.schema?.properties ?? {};
    const episode = bodyOf("post", "/episodes");
    expect(episode.title?.maxLength).toBe(100);
    expect(episode.activityTag?.maxLength).toBe(50);
    expect(episode.contents?.items?.properties?.content?.maxLength).toBe(50_000);
    expect(bodyOf("patch", "/activity-tags/{id}").name?.maxLength).toBe(50);
    const gem = bodyOf("patch", "/episodes/{episodeId}/gem");
    for (const answer of ["situation", "objective", "action", "result", "aftermath"])
      expect(gem[answer]?.anyOf?.[0]?.maxLength, answer).toBe(5_000);
    expect(bodyOf("post", "/notices")).toMatchObject({ title: { maxLength: 100 }, body: { maxLength: 5_000 } });
    expect(document.paths["/episodes"]?.get?.parameters?.find(({ name }) => name === "query")?.schema?.maxLength).toBe(100);

    // Any string a client may choose freely (not an enum, a format or a pattern) has its bound.
    const unbounded: string[] = [];
    const visit = (schema: JsonSchema | undefined, where: string): void => {
      if (!schema) return;
      if (schema.type === "string" && !schema.enum && !schema.format && !schema.pattern && schema.maxLength === undefined)
        unbounded.push(where);
      for (const [name, property] of Object.entries(schema.properties ?? {})) visit(property, `${where}.${name}`);
      visit(schema.items, `${where}[]`);
      for (const option of schema.anyOf ?? []) visit(option, where);
    };
    for (const { path, method, operation } of operations) {
      visit(operation.requestBody?.content["application/json"]?.schema, `${method} ${path} body`);
      for (const parameter of operation.parameters ?? []) visit(parameter.schema, `${method} ${path} ?${parameter.name}`);
    }
    expect(unbounded).toEqual([]);
  });

  it("lists CONFLICT (409) and TOO_MANY_REQUESTS (429) on the operations that answer them", async () => {
    const listing = (status: string) =>
      operations.filter(({ operation }) => status in operation.responses).map(({ method, path }) => `${method} ${path}`);
    expect(listing("409")).toEqual([
      "PATCH /activity-tags/{id}",
      "DELETE /activity-tags/{id}",
      "PUT /episodes/{id}/keyword",
      "POST /episodes/{episodeId}/gem/submit",
      "POST /episodes/{episodeId}/gem/analysis/retry",
      "POST /notices/{id}/cancel",
    ]);
    // The daily AI quota.
    expect(listing("429")).toEqual(["POST /episodes/{episodeId}/gem/submit", "POST /episodes/{episodeId}/gem/analysis/retry"]);
    expect(document.paths["/activity-tags/{id}"]?.patch?.responses["409"]).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/error.CONFLICT" } } },
    });
    // As served: renaming a tag to a name the caller already has.
    const { client, tokens } = await api.signIn("conflict@openapi.dev");
    const contents = [{ type: "FREE" as const, content: "기록" }];
    await client.episodes.create.mutate({ title: "하나", date: "2024-03-05", activityTag: "큐시즘", contents });
    const { activityTag } = await client.episodes.create.mutate({ title: "둘", date: "2024-03-05", activityTag: "디프만", contents });
    const response = await fetch(`${api.url}/api/v1/activity-tags/${activityTag.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${(await tokens.get())?.accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "큐시즘" }),
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: "CONFLICT" });
  });
});
