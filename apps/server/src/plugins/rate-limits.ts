import { isIPv6 } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";
import { TRPCError } from "@trpc/server";
import type { ApiDependencies, Caller } from "@daycarat/api";
import type { LogMethods } from "@daycarat/logger";
import { restProcedure } from "./procedures.ts";
import { memoryRateLimitStore, postgresRateLimitStore, type RateLimitStore } from "./rate-limit-stores.ts";

/** The calls one HTTP request makes: several for a batched tRPC request, one for REST. */
export interface RequestedCall {
  /** The procedure, e.g. `auth.dev` (empty when unknown). */
  procedure: string;
  /** Whether it changes anything (a tRPC mutation; a REST POST, PATCH, PUT or DELETE). */
  mutation: boolean;
}

/** Admits a request's calls, or throws TOO_MANY_REQUESTS with Retry-After set on the reply. */
export type AdmitCalls = (request: FastifyRequest, reply: FastifyReply, calls: readonly RequestedCall[], caller: Caller) => Promise<void>;

const WINDOW_MS = 60_000;
/** Calls that mint sessions: what password guessing and token stuffing go through. */
const SIGN_IN_PROCEDURES = new Set(["auth.kakao", "auth.apple", "auth.dev", "auth.refresh"]);

interface Limit {
  name: string;
  store: RateLimitStore;
  max: number;
  /** The counter's key and how many of the calls count against it (0: the limit does not apply). */
  count(calls: readonly RequestedCall[], subject: { user: string | undefined; address: string }): { key: string; weight: number };
  message: string;
}

/**
 * The address a limit counts under: an IPv6 client by its /64 (one subscriber's network, in
 * which it may pick any address it likes), an IPv4-mapped one as IPv4.
 */
function clientAddress(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const [head = "", tail] = ip.split("%")[0]?.split("::") ?? [];
  const groups = (text: string | undefined) => (text ? text.split(":") : []);
  const expanded =
    tail === undefined
      ? groups(head)
      : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill("0"), ...groups(tail)];
  return `${expanded
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

/**
 * The limits on abuse, checked before any procedure runs (in the tRPC and REST contexts), each a
 * fixed one-minute window:
 * - sign-ins and refreshes per client address, counted in Postgres across every server process;
 * - mutations, and calls of any kind, per user (per address when signed out), counted in this
 *   process's memory: with N server processes a user may make up to N times as many.
 * Each call of a batch counts. Over a limit the whole request is TOO_MANY_REQUESTS with
 * Retry-After (seconds until the window ends), and the first refusal of a window is logged. When Postgres cannot count, sign-ins are let
 * through: the request then meets the outage itself.
 */
export function createCallLimits({ config, db }: Pick<ApiDependencies, "config" | "db">, log: LogMethods): AdmitCalls {
  const { limits } = config;
  const perProcess = memoryRateLimitStore();
  const shared = postgresRateLimitStore(db, (err) => {
    log.warn({ err }, "could not sweep ended rate limit windows");
  });
  const checks: Limit[] = [
    {
      name: "calls",
      store: perProcess,
      max: limits.callsPerMinute,
      count: (calls, { user, address }) => ({ key: `calls:${user ?? address}`, weight: calls.length }),
      message: "Too many calls",
    },
    {
      name: "writes",
      store: perProcess,
      max: limits.writesPerMinute,
      count: (calls, { user, address }) => ({ key: `writes:${user ?? address}`, weight: calls.filter((call) => call.mutation).length }),
      message: "Too many changes",
    },
    {
      name: "sign-ins",
      store: shared,
      max: limits.signInsPerMinute,
      count: (calls, { address }) => ({
        key: `sign-in:${address}`,
        weight: calls.filter((call) => SIGN_IN_PROCEDURES.has(call.procedure)).length,
      }),
      message: "Too many sign-ins from this address",
    },
  ];

  /** The limits whose store failed at their last count. */
  const failingLimits = new Set<string>();
  return async (request, reply, calls, caller) => {
    // Who the calls count against: the valid bearer token's user, else the client address.
    const subject = { user: caller.token === "valid" ? caller.claims.userId : undefined, address: clientAddress(request.ip) };
    for (const limit of checks) {
      const { key, weight } = limit.count(calls, subject);
      if (weight === 0) continue;
      const count = await limit.store.hit(key, weight, WINDOW_MS).then(
        (counted) => {
          failingLimits.delete(limit.name);
          return counted;
        },
        (err: unknown) => {
          // Once per outage, not once per request.
          if (!failingLimits.has(limit.name))
            request.log.warn({ err, limit: limit.name }, "could not count a rate limit; requests go through");
          failingLimits.add(limit.name);
        },
      );
      if (!count || count.hits <= limit.max) continue;
      const retryAfterSeconds = Math.max(1, Math.ceil(count.resetsInMs / 1000));
      // Once per key and window, however many refusals follow: a flood must not flood the logs.
      if (count.hits - weight <= limit.max) request.log.warn({ limit: limit.name, key, max: limit.max }, "rate limit reached");
      void reply.header("retry-after", String(retryAfterSeconds));
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `${limit.message}: try again in ${retryAfterSeconds} s` });
    }
  };
}

/** The one call a REST request makes. */
export function restCall(request: FastifyRequest, procedureType: string): RequestedCall {
  return { procedure: restProcedure(request) ?? "", mutation: procedureType === "mutation" };
}
