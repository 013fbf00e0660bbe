import type { Prisma } from "./generated/prisma/client.ts";

// What a failure looks like when the database, not the query, is the problem: the server is
// down, restarting, refusing connections or out of them. Such failures end by themselves, so
// callers answer "unavailable, retry" rather than "internal error".

/** Prisma's codes for an unreachable database, a closed connection and an exhausted pool. */
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1017", "P2024"]);

/**
 * P2028 is every interactive-transaction failure; only this one is the pool's: no connection came
 * free within the transaction's maxWait (under load, or with connections gone).
 */
const TRANSACTION_NOT_STARTED = "Unable to start a transaction in the given time";

/** The driver adapter's kinds of the same (a raw query's P2010 carries one). */
const ADAPTER_UNAVAILABLE = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

/** Node's codes for a connection refused, reset or timed out. */
const NETWORK_UNAVAILABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

/**
 * node-postgres' own words (not always on an Error instance: pg-boss passes them on in a copy)
 * when the server goes away mid-session, when a client is used after its connection broke, and
 * when a connection could not be made in time (the pool's wait, the client's connection timeout).
 */
const PG_UNAVAILABLE_MESSAGES = [
  "Connection terminated",
  "Client has encountered a connection error",
  "timeout exceeded when trying to connect",
  "timeout expired",
];

/**
 * Postgres SQLSTATEs: class 08 (connection exception), 57P01–57P03 (shutting down, crashed,
 * starting up) and 53300 (too many connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith("08") || ["57P01", "57P02", "57P03", "53300"].includes(code);
}

/**
 * Prisma's errors, told by their names rather than their classes: importing the classes would load
 * Prisma's client into every process that only logs, such as the cluster primary, whose logger
 * marks database outages (`@daycarat/db/outage`).
 */
function isPrismaKnownRequestError(error: object): error is Prisma.PrismaClientKnownRequestError {
  return error instanceof Error && error.name === "PrismaClientKnownRequestError";
}

function isPrismaInitializationError(error: object): boolean {
  return error instanceof Error && error.name === "PrismaClientInitializationError";
}

/** The driver adapter's error inside a Prisma error, if there is one. */
function adapterErrorKind(error: Prisma.PrismaClientKnownRequestError): unknown {
  const adapterError = error.meta?.driverAdapterError as { cause?: { kind?: unknown } } | undefined;
  return adapterError?.cause?.kind;
}

function isUnavailableItself(error: object): boolean {
  if (isPrismaKnownRequestError(error)) {
    return (
      PRISMA_UNAVAILABLE.has(error.code) ||
      (error.code === "P2028" && error.message.includes(TRANSACTION_NOT_STARTED)) ||
      ADAPTER_UNAVAILABLE.has(String(adapterErrorKind(error)))
    );
  }
  if (isPrismaInitializationError(error)) return true;
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  if (code && (NETWORK_UNAVAILABLE.has(code) || isUnavailableSqlState(code))) return true;
  const message = "message" in error && typeof error.message === "string" ? error.message : "";
  return PG_UNAVAILABLE_MESSAGES.some((words) => message.startsWith(words));
}

/** Whether a failure means the database is unavailable for now (in the error or any of its causes). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const pending: unknown[] = [error];
  // Bounded: a cause chain may loop.
  for (let checked = 0; checked < 20 && pending.length > 0; checked += 1) {
    const current = pending.shift();
    if (typeof current !== "object" || current === null) continue;
    if (isUnavailableItself(current)) return true;
    if ("cause" in current) pending.push(current.cause);
    if (current instanceof AggregateError) pending.push(...(current.errors as unknown[]));
  }
  return false;
}
