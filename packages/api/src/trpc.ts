import { initTRPC, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_NUMBER } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { isDatabaseUnavailable } from "@daycarat/db";
import { DomainError } from "@daycarat/domain";
import { withSpan } from "@daycarat/telemetry";
import type { Context } from "./context.ts";
import { reportDatabaseOutage } from "./database-outage.ts";
import { accountGone, prismaErrorCode } from "./errors.ts";
import type { ApiMeta } from "./api-meta.ts";
import { storableInput } from "./schemas/common.ts";

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `contents.0.content`. */
  path: string;
  message: string;
}

function fieldIssues(error: TRPCError): FieldIssue[] | undefined {
  if (error.code !== "BAD_REQUEST" || !(error.cause instanceof ZodError)) return undefined;
  return error.cause.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/** The codes an error answer may carry (README, "Errors"), each answered with its HTTP status. */
export const API_ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "TOO_MANY_REQUESTS",
  "INTERNAL_SERVER_ERROR",
  "SERVICE_UNAVAILABLE",
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

function isApiErrorCode(code: string): code is ApiErrorCode {
  return (API_ERROR_CODES as readonly string[]).includes(code);
}

/** An error as every answer shows it: tRPC's `error` member, and the body of a REST error. */
export interface ApiErrorShape {
  message: string;
  /** The JSON-RPC number of `data.code`, as tRPC clients read it. */
  code: TRPC_ERROR_CODE_NUMBER;
  data: { code: ApiErrorCode; httpStatus: number; path?: string; issues?: FieldIssue[] };
}

/**
 * The shape of an error, for tRPC (its errorFormatter) and for the server's own answers alike.
 * tRPC's codes outside the documented ones (a parse error, a method not supported, …) are
 * answered as BAD_REQUEST or INTERNAL_SERVER_ERROR by their class.
 */
export function apiErrorShape(error: TRPCError, path?: string): ApiErrorShape {
  const issues = fieldIssues(error);
  const documented = isApiErrorCode(error.code) ? error : undefined;
  const fault = documented ? error.code === "INTERNAL_SERVER_ERROR" : getHTTPStatusCodeFromError(error) >= 500;
  const answered = documented ?? new TRPCError({ code: fault ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST", message: error.message });
  const code = answered.code as ApiErrorCode;
  const message = fault
    ? "Internal server error"
    : issues
      ? `Invalid input: ${issues.map((issue) => `${issue.path || "(input)"}: ${issue.message}`).join("; ")}`
      : error.message;
  return { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: getHTTPStatusCodeFromError(answered), path, issues } };
}

// The meta says how a procedure is also served as REST (packages/api/src/api-meta.ts).
const t = initTRPC
  .context<Context>()
  .meta<ApiMeta>()
  .create({
    // Never send stack traces to clients, whatever NODE_ENV says.
    isDev: false,
    // Subscriptions (server-sent events): a ping every 15 s keeps proxies from closing a quiet
    // stream, and a client that hears nothing for 45 s reconnects from its last event.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 45_000 } },
    errorFormatter: ({ error, path }) => apiErrorShape(error, path),
  });

export const router = t.router;

/**
 * Settles a procedure's failure: the domain's refusals become API errors with their code and
 * message (the one place `DomainError` is mapped); a database outage is SERVICE_UNAVAILABLE,
 * logged once per outage (packages/api/src/database-outage.ts); anything else is a fault, logged
 * with its path on the request's logger (which, inside a signed-in procedure, names the user)
 * while the client sees only "Internal server error". The error reports to Slack are made of these lines.
 */
const settleFailures = t.middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (result.ok) return result;
  const { cause } = result.error;
  if (cause instanceof DomainError) throw new TRPCError({ code: cause.code, message: cause.message, cause });
  if (isDatabaseUnavailable(cause)) {
    reportDatabaseOutage(ctx.db, ctx.log, cause);
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The service is unavailable for a moment: try again shortly", cause });
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR") ctx.log.error({ err: cause ?? result.error, path }, "procedure failed");
  return result;
});

/**
 * No procedure sees a string Postgres would refuse (NUL) or alter (a lone surrogate), wherever
 * it is in the input; each call it admits (one of a batch, or a REST operation) is a span named
 * after its procedure (a refused one shows as its HTTP request's 400). One middleware for both:
 * each step of tRPC's chain copies the call's options and context, a measurable share of a
 * small query's CPU (BENCHMARKS.md).
 */
const enterProcedure = t.middleware(async ({ path, type, getRawInput, next }) => {
  const checked = storableInput.safeParse(await getRawInput());
  if (!checked.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause: checked.error });
  return withSpan(`trpc ${path}`, { attributes: { "rpc.system": "trpc", "rpc.method": path, "trpc.type": type } }, async (span) => {
    const result = await next();
    if (!result.ok) span.setAttribute("trpc.error_code", result.error.code);
    return result;
  });
});

const procedure = t.procedure.use(enterProcedure);

export const publicProcedure = procedure.use(settleFailures);

const unauthorized = (message: string) => new TRPCError({ code: "UNAUTHORIZED", message });

/**
 * Who the caller is: a valid access token whose sign-in and user were not revoked since it was
 * issued (signed out, refresh token reused, account deleted). The revocations are checked in
 * this process's memory, kept current by Postgres notifications: no query per request.
 */
const authenticate = t.middleware(({ ctx, next }) => {
  const { caller } = ctx;
  if (caller.token === "none") throw unauthorized("Sign in first: no bearer token");
  if (caller.token === "refused") throw unauthorized(caller.reason);
  const user = caller.claims;
  if (ctx.revocations.isRevoked(user)) throw unauthorized("Access token revoked: sign in again");
  return next({ ctx: { user, log: ctx.log.child({ userId: user.userId }) } });
});

/** Procedures for a signed-in user: `ctx.user` is the caller, whose data alone they may touch. */
export const authedProcedure = procedure
  .use(authenticate)
  .use(settleFailures)
  .use(async ({ ctx, type, next }) => {
    const result = await next();
    if (result.ok) {
      // Where the primary's WAL stands after a write: the user's reads from a replica wait
      // until it has replayed this far, whichever server process they reach. A failure to record
      // it still answers the write (it is done; an error would invite a repeat), at the price of
      // the user's next reads perhaps missing it for as long as a replica lags.
      if (type === "mutation") {
        await ctx.reads.recordWrite(ctx.user.userId).catch((error: unknown) => {
          ctx.log.warn({ err: error }, "could not record the write's position: the user's next reads may miss it");
        });
      }
      return result;
    }
    // A write that fails on a foreign key because the caller's user row is gone (deleted while
    // the token was in flight, or by an operator) is the caller's account missing, not a fault.
    if (prismaErrorCode(result.error.cause) !== "P2003") return result;
    if ((await ctx.db.user.count({ where: { id: ctx.user.userId } })) > 0) return result;
    throw accountGone();
  });

/**
 * Procedures for administrators only. The role is read from the database rather than the
 * access token, so that revoking it (`pnpm admin revoke`) takes effect at once, not when the
 * token expires; admin calls are few, and it is one primary-key lookup.
 */
export const adminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const user = await ctx.db.user.findUnique({ where: { id: ctx.user.userId }, select: { role: true } });
  if (user?.role !== "ADMIN") throw new TRPCError({ code: "FORBIDDEN", message: "Administrators only" });
  return next();
});

/**
 * Read-only procedures of a signed-in user (lists and statistics) that may read from a replica:
 * `ctx.db` is a replica that is up, within DATABASE_REPLICA_MAX_LAG_MS of the primary and past
 * the user's last write, else the primary (packages/db/src/read-routing.ts). A read the replica
 * fails to answer (it just went down) is read again from the primary, so the caller never sees
 * the replica's outage.
 */
export const replicaReadProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const reader = await ctx.reads.readerFor(ctx.user.userId);
  if (reader.replica === undefined) return next();
  const result = await next({ ctx: { db: reader.db } });
  if (result.ok || !isDatabaseUnavailable(result.error.cause)) return result;
  reader.markUnavailable(result.error.cause instanceof Error ? result.error.cause.message : "unavailable");
  ctx.log.warn({ err: result.error.cause, replica: reader.replica }, "read replica failed: reading from the primary");
  return next();
});
