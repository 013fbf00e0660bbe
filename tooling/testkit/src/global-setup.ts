// Runs once per test run: one Postgres for every test file (the embedded one unless
// DATABASE_URL names a server), and a migrated template database each file clones.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import getPort from "get-port";
import type { TestProject } from "vitest/node";
import { dropDatabase, ensureDatabase, migrateDatabase } from "@daycarat/db";
import { startEmbeddedPostgres } from "@daycarat/db/embedded";
import { startJobQueue } from "@daycarat/jobs";
import { createLogger } from "@daycarat/logger";
import "./provided-context.ts";

const logger = createLogger({ service: "test-setup", level: "warn", pretty: false });

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: (() => Promise<void>)[] = [];
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = await mkdtemp(path.join(tmpdir(), "daycarat-test-pg-"));
    const postgres = await startEmbeddedPostgres({ dataDir, port: await getPort(), logger });
    adminUrl = postgres.url;
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }), () => postgres.stop());
  }

  const templateDatabase = `daycarat_template_${process.pid}`;
  await dropDatabase(adminUrl, templateDatabase);
  await ensureDatabase(adminUrl, templateDatabase);
  cleanups.push(() => dropDatabase(adminUrl, templateDatabase));
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${templateDatabase}`;
  await migrateDatabase({ databaseUrl: templateUrl.toString(), logger });
  // pg-boss's schema and the queues too, so that each clone's job queue starts at once.
  const jobs = await startJobQueue({ databaseUrl: templateUrl.toString(), runsMaintenance: false, logger });
  await jobs.stop({ graceful: false });

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);
  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}
