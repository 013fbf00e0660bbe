// Development tooling (never loaded by the apps): Prisma's schema engine, in its
// WebAssembly build, turns two Prisma schemas into the SQL that leads from one to the other.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

export const SCHEMA_PATH = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));

export function readSchema(): Promise<string> {
  return readFile(SCHEMA_PATH, "utf8");
}

declare global {
  // The engine reports Rust panics through this global; without it a panic surfaces as an
  // unrelated TypeError.
  var PRISMA_WASM_PANIC_REGISTRY: { set_message(message: string): void } | undefined;
}

/**
 * The SQL that turns a database shaped like `from` (null: an empty one) into one shaped like
 * `to`; empty when they are the same. Pure schema-to-schema: no database is read or changed,
 * but the engine insists on a connection at start, so `databaseUrl` must reach a Postgres.
 */
export async function diffSchemas(options: { databaseUrl: string; from: string | null; to: string }): Promise<string> {
  let panic: string | undefined;
  globalThis.PRISMA_WASM_PANIC_REGISTRY = {
    set_message: (message) => {
      panic = message;
    },
  };
  const { SchemaEngine } = await import("@prisma/schema-engine-wasm");
  // Our own pool: the engine never closes the adapter's, which would keep the process alive.
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  const noLog = () => undefined;
  const engine = await SchemaEngine.new({ datamodels: undefined }, noLog, bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool)));
  try {
    const schema = (content: string) => ({ files: [{ path: "schema.prisma", content }] });
    const result = await engine.diff({
      from: options.from === null ? { tag: "empty" } : { tag: "schemaDatamodel", ...schema(options.from) },
      to: { tag: "schemaDatamodel", ...schema(options.to) },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    // Exit code 2 means "there is a difference", as with `prisma migrate diff --exit-code`.
    return result.exitCode === 2 ? (result.stdout ?? "") : "";
  } catch (error) {
    throw new Error(`Prisma's schema engine failed${panic ? `: ${panic}` : ""}`, { cause: error });
  } finally {
    engine.free();
    await pool.end();
  }
}
