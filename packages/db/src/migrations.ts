import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import type { Logger } from "@daycarat/logger";
import { withConnection } from "./admin.ts";
import type { DatabaseClient } from "./client.ts";

// Migrations are applied here rather than by `prisma migrate deploy`, whose native engine
// cannot be downloaded on every machine (and whose WebAssembly build, through adapter-pg,
// splits scripts at every `;` and keeps its lock on pooled connections). The folders and the
// `_prisma_migrations` table stay exactly Prisma's, so `prisma migrate deploy` works unchanged
// wherever its engine is available.

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations/", import.meta.url));

/** The advisory lock `prisma migrate` takes: our runner and Prisma's never overlap. */
export const MIGRATION_LOCK_ID = 72707369;

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`;

export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of migration.sql, as Prisma records it. */
  checksum: string;
}

/** The migration folders, in the order they apply (their names start with a timestamp). */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

interface AppliedMigration {
  migration_name: string;
  checksum: string;
}

/**
 * Applies every pending migration, each in its own transaction, under Prisma's advisory
 * lock so that processes starting together apply each migration exactly once.
 * Returns the names it applied.
 */
export async function migrateDatabase(options: { databaseUrl: string; logger: Logger; migrationsDir?: string }): Promise<string[]> {
  const log = options.logger.child({ component: "migrations" });
  const migrations = await readMigrations(options.migrationsDir);
  return withConnection(options.databaseUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedMigration>(
        `SELECT migration_name, checksum FROM "_prisma_migrations"
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
      const appliedNow: string[] = [];
      for (const migration of migrations) {
        const checksum = applied.get(migration.name);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            log.warn({ migration: migration.name }, "an applied migration was edited since; it is not applied again");
          }
          continue;
        }
        await applyMigration(client, migration);
        appliedNow.push(migration.name);
        log.info({ migration: migration.name }, "migration applied");
      }
      return appliedNow;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
    }
  });
}

async function applyMigration(client: pg.Client, migration: Migration): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`, [
      randomUUID(),
      migration.checksum,
      migration.name,
    ]);
    await client.query(migration.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE migration_name = $1`, [
      migration.name,
    ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export type Readiness = { ready: true } | { ready: false; reason: string };

const READINESS_TIMEOUT_MS = 2_000;
let expectedMigrations: Promise<string[]> | undefined;

/** Ready when the database answers in time and every migration of this build is applied. */
export async function checkDatabaseReadiness(db: DatabaseClient): Promise<Readiness> {
  expectedMigrations ??= readMigrations().then((migrations) => migrations.map((migration) => migration.name));
  const expected = await expectedMigrations;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      resolve("timeout");
    }, READINESS_TIMEOUT_MS);
  });
  try {
    const applied = await Promise.race([
      db.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      timeout,
    ]);
    if (applied === "timeout") return { ready: false, reason: "database did not answer in time" };
    const appliedNames = new Set(applied.map((row) => row.migration_name));
    const pending = expected.filter((name) => !appliedNames.has(name));
    return pending.length === 0 ? { ready: true } : { ready: false, reason: `migrations pending: ${pending.join(", ")}` };
  } catch {
    return { ready: false, reason: "database unreachable or not migrated" };
  } finally {
    clearTimeout(timer);
  }
}
