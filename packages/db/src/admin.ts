import pg from "pg";

/** Runs `work` with one short-lived connection (for administration outside Prisma's pool). */
export async function withConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Creates the database on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string, options: { template?: string } = {}): Promise<void> {
  await withConnection(adminUrl, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return;
    const template = options.template ? ` TEMPLATE ${quoteIdentifier(options.template)}` : "";
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}${template}`);
    } catch (error) {
      // Another process created it between our check and our CREATE (duplicate_database,
      // or unique_violation when both CREATEs ran at once).
      const code = (error as { code?: string }).code;
      if (code !== "42P04" && code !== "23505") throw error;
    }
  });
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withConnection(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`));
}
