import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, type Prisma } from "./generated/prisma/client.ts";

/** One SQL statement Prisma sent: its text with $n placeholders and the values, as a JSON array. */
export interface ExecutedQuery {
  query: string;
  params: string;
}

export interface DatabaseClientOptions {
  /** Connections this process may open; each server or worker process has its own pool. */
  maxConnections?: number;
  /** How its connections show in `pg_stat_activity.application_name`. */
  applicationName?: string;
  /**
   * Sees every statement the client sends, for diagnostics (the API benchmark EXPLAINs the
   * SQL a procedure really runs). Unset, as in the server and the worker: no query logging.
   */
  onQuery?: (event: ExecutedQuery) => void;
}

/** What each client was made with: its pool (ours, so its counts are readable) and its query log. */
const origins = new WeakMap<PrismaClient, { pool: pg.Pool; onQuery: DatabaseClientOptions["onQuery"] }>();

export function createDatabaseClient(databaseUrl: string, options: DatabaseClientOptions = {}): PrismaClient {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName,
    // Fail fast when the database is unreachable instead of queueing requests behind it.
    connectionTimeoutMillis: 5_000,
    // Prisma's driver adapter writes timestamps without an offset and reads them dropping the
    // session's: its instants are right only in a UTC session, and readRows must see the same
    // ones. (PgBouncer ignores this option: the server behind it must be in UTC, README.)
    options: "-c TimeZone=UTC",
  });
  // The client's $disconnect ends the pool, as it ends a pool of its own.
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = withQueryLog(adapter, options.onQuery);
  origins.set(client, { pool, onQuery: options.onQuery });
  return client;
}

/**
 * Errors without the caller's code frame: for it Prisma captures a stack trace (`new Error()`)
 * at every query, about a fifth of a small query's CPU in the client (BENCHMARKS.md), only to
 * quote the call in a failure's message. The error's own stack still names the caller.
 */
const ERROR_FORMAT = "minimal";

function withQueryLog(adapter: PrismaPg, onQuery: DatabaseClientOptions["onQuery"]): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter, errorFormat: ERROR_FORMAT });
  const client = new PrismaClient({ adapter, errorFormat: ERROR_FORMAT, log: [{ emit: "event", level: "query" }] });
  client.$on("query", (event) => {
    onQuery({ query: event.query, params: event.params });
  });
  return client;
}

/** The client's pool connections: open, idle, and queries waiting for one. */
export function poolConnections(client: PrismaClient): { total: number; idle: number; waiting: number } {
  const pool = origins.get(client)?.pool;
  return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
}

export type DatabaseClient = PrismaClient;

/**
 * The rows of one read, sent on the client's own pool without Prisma's client in between: for
 * the hottest small reads (a badge's count, the home screen's numbers), where Prisma's client
 * costs more CPU than the driver and the statement together (about 60 µs of 110 per query,
 * `pnpm bench:db-client`). Not inside a transaction; values come back as node-postgres parses
 * them (cast counts to int: a bigint arrives as a string). Failures are the driver's, which
 * `isDatabaseUnavailable` knows. The client's query log sees the statement like any other.
 */
export async function readRows<Row extends object>(client: PrismaClient, query: Prisma.Sql): Promise<Row[]> {
  const origin = origins.get(client);
  if (!origin) throw new Error("readRows needs a client made by createDatabaseClient");
  origin.onQuery?.({ query: query.text, params: JSON.stringify(query.values) });
  const result = await origin.pool.query<Row>(query.text, query.values);
  return result.rows;
}
