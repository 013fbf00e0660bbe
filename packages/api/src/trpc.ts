import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { DomainError } from "@daycarat/domain";
import { InvalidAccessTokenError, verifyAccessToken } from "./auth/access-token.ts";
import type { Context } from "./context.ts";
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

// The meta says how a procedure is also served as REST (packages/api/src/api-meta.ts).
const t = initTRPC.context<Context>().meta<ApiMeta>().create({
  // Never send stack traces to clients, whatever NODE_ENV says.
  isDev: false,
  // Subscriptions (server-sent events): a ping every 15 s keeps proxies from closing a quiet
  // stream, and a client that hears nothing for 45 s reconnects from its last event.
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 45_000 } },
  errorFormatter: ({ shape, error }) => {
    const issues = fieldIssues(error);
    const message =
      error.code === "INTERNAL_SERVER_ERROR"
        ? "Internal server error"
        : issues
          ? `Invalid input: ${issues.map((issue) => `${issue.path || "(input)"}: ${issue.message}`).join("; ")}`
          : shape.message;
    return {
      message,
      code: shape.code,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, issues },
    };
  },
});

export const router = t.router;

/**
 * Settles a procedure's failure: the domain's refusals become API errors with their code and
 * message (the one place `DomainError` is mapped); anything else is a fault, logged with its
 * path on the request's logger (which, inside a signed-in procedure, names the user) while the
 * client sees only "Internal server error". The error reports to Slack are made of these lines.
 */
const settleFailures = t.middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (result.ok) return result;
  const { cause } = result.error;
  if (cause instanceof DomainError) throw new TRPCError({ code: cause.code, message: cause.message, cause });
  if (result.error.code === "INTERNAL_SERVER_ERROR") ctx.log.error({ err: cause ?? result.error, path }, "procedure failed");
  return result;
});

/** No procedure sees a string Postgres would refuse (NUL) or alter (a lone surrogate), wherever it is in the input. */
const refuseUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  const checked = storableInput.safeParse(await getRawInput());
  if (!checked.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause: checked.error });
  return next();
});

const procedure = t.procedure.use(refuseUnstorableText);

export const publicProcedure = procedure.use(settleFailures);

const BEARER = /^Bearer (\S+)$/;

const unauthorized = (message: string) => new TRPCError({ code: "UNAUTHORIZED", message });

/**
 * Who the caller is: a valid access token whose sign-in and user were not revoked since it was
 * issued (signed out, refresh token reused, account deleted). The revocations are checked in
 * this process's memory, kept current by Postgres notifications: no query per request.
 */
const authenticate = t.middleware(async ({ ctx, next }) => {
  const token = BEARER.exec(ctx.authorization ?? "")?.[1];
  if (!token) throw unauthorized("Sign in first: no bearer token");
  const user = await verifyAccessToken(ctx.config.auth.jwtSecret, token).catch((error: unknown) => {
    if (!(error instanceof InvalidAccessTokenError)) throw error;
    throw unauthorized(error.message);
  });
  if (ctx.revocations.isRevoked(user)) throw unauthorized("Access token revoked: sign in again");
  return next({ ctx: { user, log: ctx.log.child({ userId: user.userId }) } });
});

/** Procedures for a signed-in user: `ctx.user` is the caller, whose data alone they may touch. */
export const authedProcedure = procedure
  .use(authenticate)
  .use(settleFailures)
  // A write that fails on a foreign key because the caller's user row is gone (deleted while
  // the token was in flight, or by an operator) is the caller's account missing, not a fault.
  .use(async ({ ctx, next }) => {
    const result = await next();
    if (result.ok || prismaErrorCode(result.error.cause) !== "P2003") return result;
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
