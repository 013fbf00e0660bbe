import { withConnection } from "@daycarat/db";

/**
 * Everything a migration can shape in the `public` schema, as comparable text: tables and
 * columns (type, nullability, default), constraints, indexes, enums and extensions.
 */
export async function describeSchema(databaseUrl: string): Promise<Record<string, string[]>> {
  return withConnection(databaseUrl, async (client) => {
    const rows = async (sql: string) => (await client.query<{ line: string }>(sql)).rows.map((row) => row.line).sort();
    return {
      columns: await rows(`
        SELECT table_name || '.' || column_name || ' ' || udt_name || ' ' || is_nullable || ' '
               || coalesce(character_maximum_length::text, '') || ' ' || coalesce(column_default, '') AS line
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`),
      constraints: await rows(`
        SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0
          AND conrelid::regclass::text <> '"_prisma_migrations"' AND conrelid::regclass::text <> '_prisma_migrations'`),
      indexes: await rows(`
        SELECT indexdef AS line FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
      enums: await rows(`
        SELECT t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`),
      extensions: await rows(`SELECT extname AS line FROM pg_extension`),
    };
  });
}
