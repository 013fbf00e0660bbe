import type { OpenApiMeta } from "trpc-to-openapi";

// The words procedures use to describe themselves. They live apart from openapi.ts, which
// reads the whole router: procedures importing from there would close an import circle.

/** The areas of the API, in the order the documentation lists them. */
export const API_TAGS = [
  "Auth",
  "Me",
  "Activity tags",
  "Episodes",
  "Stats",
  "Gems",
  "Notifications",
  "Preferences",
  "Devices",
  "Notices",
  "Admin",
] as const;

/** An operation's sample request (body or query) and successful response, shown in the documentation. */
export interface OperationExample {
  request?: Record<string, unknown>;
  response?: unknown;
}

/**
 * Procedure metadata: `openapi` says where a procedure is also served as REST (trpc-to-openapi);
 * `protect: true` marks the ones that need a bearer token.
 */
export type ApiMeta = OpenApiMeta<{ openapi?: { tags?: (typeof API_TAGS)[number][]; example?: OperationExample } }>;
