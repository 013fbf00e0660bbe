import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export interface DatabaseClientOptions {
  /** Connections this process may open; each server or worker process has its own pool. */
  maxConnections?: number;
}

export function createDatabaseClient(databaseUrl: string, options: DatabaseClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    // Fail fast when the database is unreachable instead of queueing requests behind it.
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}

export type DatabaseClient = PrismaClient;
