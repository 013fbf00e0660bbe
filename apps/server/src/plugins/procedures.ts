import type { FastifyRequest } from "fastify";
import { forEachOpenApiProcedure, getPathRegExp, normalizePath } from "trpc-to-openapi";
import { appRouter, REST_BASE_PATH, type ApiMeta } from "@daycarat/api";

/** The route templates the API is mounted on (tRPC's plugin, trpc-to-openapi's catch-all). */
export const TRPC_ROUTE = "/trpc/:path";
export const REST_ROUTE = `${REST_BASE_PATH}/*`;

/** Every procedure's path, e.g. `episodes.list`. */
export const PROCEDURES: ReadonlySet<string> = new Set(Object.keys(appRouter._def.procedures));

/** The REST route of every procedure that has one, matched as trpc-to-openapi matches them. */
const REST_ROUTES: { method: string; path: RegExp; procedure: string }[] = [];
forEachOpenApiProcedure<ApiMeta>(appRouter._def.procedures, ({ path: procedure, meta: { openapi } }) => {
  REST_ROUTES.push({ method: openapi.method, path: getPathRegExp(normalizePath(openapi.path)), procedure });
});

/** The procedure a REST request calls (its path is the wildcard of the catch-all route under /api/v1), if any. */
export function restProcedure(request: FastifyRequest): string | undefined {
  const path = normalizePath((request.params as { "*"?: string })["*"] ?? "");
  return REST_ROUTES.find((route) => route.method === request.method && route.path.test(path))?.procedure;
}
