// Runs once per test run: one Postgres for every test file (the embedded one unless
// DATABASE_URL names a server), and a migrated template database each file clones.
import type { TestProject } from "vitest/node";
import { createCleanupStack, freshDatabase, provideThrowawayPostgres } from "@daycarat/devkit";
import { startJobQueue } from "@daycarat/jobs";
import { createLogger } from "@daycarat/logger";
import "./provided-context.ts";

const logger = createLogger({ service: "test-setup", level: "warn", pretty: false });

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups = createCleanupStack();
  const postgres = await provideThrowawayPostgres(process.env.DATABASE_URL, logger);
  cleanups.push(() => postgres.dispose(), "the run's Postgres");

  const templateDatabase = `daycarat_template_${process.pid}`;
  const template = await freshDatabase(postgres.url, templateDatabase, { migrateWith: logger });
  cleanups.push(() => template.drop(), "the template database");
  // pg-boss's schema and the queues too, so that each clone's job queue starts at once.
  const jobs = await startJobQueue({ databaseUrl: template.url, runsMaintenance: false, logger });
  await jobs.stop({ graceful: false });

  project.provide("adminDatabaseUrl", postgres.url);
  project.provide("templateDatabase", templateDatabase);
  return async () => {
    await cleanups.run();
  };
}
