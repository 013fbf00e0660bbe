import { randomUUID } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createDatabaseClient, dropDatabase, ensureDatabase, type DatabaseClient } from "@daycarat/db";
import { withDatabaseName } from "@daycarat/devkit";
import "./provided-context.ts";

export interface TestDatabase {
  name: string;
  url: string;
  db: DatabaseClient;
}

export function databaseUrlFor(name: string): string {
  return withDatabaseName(inject("adminDatabaseUrl"), name);
}

/** An empty database of the run's Postgres, dropped after the file's tests. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string }> {
  const name = `test_${randomUUID().replaceAll("-", "")}`;
  await ensureDatabase(inject("adminDatabaseUrl"), name);
  afterAll(() => dropDatabase(inject("adminDatabaseUrl"), name));
  return { name, url: databaseUrlFor(name) };
}

/**
 * A migrated database of the file's own, cloned from the run's template so that files run
 * in parallel without seeing each other's rows; dropped after the file's tests.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${randomUUID().replaceAll("-", "")}`;
  await ensureDatabase(inject("adminDatabaseUrl"), name, { template: inject("templateDatabase") });
  const url = databaseUrlFor(name);
  const db = createDatabaseClient(url, { maxConnections: 5 });
  afterAll(async () => {
    await db.$disconnect();
    await dropDatabase(inject("adminDatabaseUrl"), name);
  });
  return { name, url, db };
}
