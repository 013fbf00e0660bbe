import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

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

export function createDatabaseClient(databaseUrl: string, options: DatabaseClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName,
    // Fail fast when the database is unreachable instead of queueing requests behind it.
    connectionTimeoutMillis: 5_000,
  });
  const { onQuery } = options;
  if (!onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  client.$on("query", (event) => {
    onQuery({ query: event.query, params: event.params });
  });
  return client;
}

export type DatabaseClient = PrismaClient;
