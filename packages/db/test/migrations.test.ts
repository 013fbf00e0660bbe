import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrateDatabase, readMigrations, withConnection } from "@daycarat/db";
import { SCHEMA_PATH, diffSchemas, readSchema } from "@daycarat/db/schema-diff";
import { captureLogs, createEmptyDatabase } from "@daycarat/testkit";
import { describeSchema } from "./catalog.ts";

const MIGRATE_SCRIPT = fileURLToPath(new URL("../scripts/migrate.ts", import.meta.url));

async function appliedMigrations(url: string) {
  return withConnection(url, async (client) => {
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    return rows;
  });
}

function runMigrateProcess(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [MIGRATE_SCRIPT], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "info", LOG_FORMAT: "json" },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return once(child, "exit").then(([code]) => ({ code: code as number | null, output }));
}

describe("migrations", () => {
  it("apply to an empty database and are recorded as prisma migrate deploy records them", async () => {
    const { url } = await createEmptyDatabase();
    const migrations = await readMigrations();
    const { logger } = captureLogs();

    expect(await migrateDatabase({ databaseUrl: url, logger })).toEqual(migrations.map((m) => m.name));
    expect(await migrateDatabase({ databaseUrl: url, logger })).toEqual([]);

    const applied = await appliedMigrations(url);
    expect(applied.map((row) => [row.migration_name, row.checksum])).toEqual(migrations.map((m) => [m.name, m.checksum]));
    expect(applied.every((row) => row.finished_at instanceof Date)).toBe(true);
  });

  it("apply each migration exactly once when two processes start together", async () => {
    const { url } = await createEmptyDatabase();
    const [first, second] = await Promise.all([runMigrateProcess(url), runMigrateProcess(url)]);

    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);
    const applied = await appliedMigrations(url);
    expect(applied.map((row) => row.migration_name)).toEqual((await readMigrations()).map((m) => m.name));
    // One process applied everything; the other waited for the lock and found nothing to do.
    expect([first.output, second.output].filter((output) => output.includes("database is up to date"))).toHaveLength(1);
  });

  it("roll a failing migration back completely and name it", async () => {
    const { url } = await createEmptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "daycarat-migrations-"));
    await mkdir(path.join(dir, "20260101000000_broken"));
    await writeFile(
      path.join(dir, "20260101000000_broken", "migration.sql"),
      'CREATE TABLE "half_done" (id int);\nALTER TABLE "missing_table" ADD COLUMN x int;\n',
    );

    await expect(migrateDatabase({ databaseUrl: url, logger: captureLogs().logger, migrationsDir: dir })).rejects.toThrow(
      /Migration 20260101000000_broken failed and was rolled back: relation "missing_table" does not exist/,
    );
    const tables = await withConnection(url, (client) => client.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'"));
    expect(tables.rowCount).toBe(0);
    expect(await appliedMigrations(url)).toEqual([]);
  });
});

describe("schema.prisma and the migrations", () => {
  it("describe the same database", async () => {
    const fromMigrations = await createEmptyDatabase();
    await migrateDatabase({ databaseUrl: fromMigrations.url, logger: captureLogs().logger });

    const fromSchema = await createEmptyDatabase();
    const schemaSql = await diffSchemas({ databaseUrl: fromSchema.url, from: null, to: await readSchema() });
    await withConnection(fromSchema.url, (client) => client.query(schemaSql));

    expect(await describeSchema(fromMigrations.url)).toEqual(await describeSchema(fromSchema.url));
  });

  it("are told apart by the comparison when they differ", async () => {
    const { url } = await createEmptyDatabase();
    await migrateDatabase({ databaseUrl: url, logger: captureLogs().logger });
    const before = await describeSchema(url);
    await withConnection(url, (client) => client.query('CREATE INDEX "extra_idx" ON "users" ("nickname")'));

    expect(await describeSchema(url)).not.toEqual(before);
  });

  it("leave the next migration to start from the current schema", async () => {
    // `pnpm db:migration:create` diffs from the snapshot saved with the latest migration.
    const latest = (await readMigrations()).at(-1);
    if (!latest) throw new Error("no migrations");
    const snapshot = await readFile(path.join(MIGRATIONS_DIR, latest.name, "schema.prisma.snapshot"), "utf8");
    expect(snapshot, `${SCHEMA_PATH} changed without a migration: run pnpm db:migration:create`).toBe(await readSchema());
  });
});
