// Grants or revokes the ADMIN role by email, or lists the administrators:
//
//   pnpm admin grant jiwoo@daycarat.dev
//   pnpm admin revoke jiwoo@daycarat.dev
//   pnpm admin list
//
// Runs on DATABASE_URL, or on the embedded development database when it is unset. The user
// must have signed in once. A grant shows in their next access token (within 15 minutes, or
// at once after a refresh); admin procedures check the role in the database, so a revocation
// takes effect at once.
import { loadConfigOrExit } from "@daycarat/config";
import { createLogger } from "@daycarat/logger";
import { z } from "zod";
import { createDatabaseClient, migrateDatabase, type DatabaseClient } from "../src/index.ts";
import { withLocalDatabase } from "../src/embedded.ts";

const USAGE = "usage: pnpm admin grant <email> | revoke <email> | list";

const command = z.union([z.tuple([z.enum(["grant", "revoke"]), z.email("must be an email address")]), z.tuple([z.literal("list")])]);

async function run(db: DatabaseClient, args: z.infer<typeof command>): Promise<string> {
  if (args[0] === "list") {
    const admins = await db.user.findMany({ where: { role: "ADMIN" }, select: { email: true, nickname: true }, orderBy: { email: "asc" } });
    return admins.length === 0
      ? "no administrators"
      : admins.map((admin) => `${admin.email ?? "(no email)"}\t${admin.nickname}`).join("\n");
  }
  const [action, email] = args;
  const role = action === "grant" ? "ADMIN" : "USER";
  const { count } = await db.user.updateMany({ where: { email: { equals: email, mode: "insensitive" } }, data: { role } });
  if (count === 0) throw new Error(`no user has the email ${email}: they must sign in once first`);
  return `${email}: ${role} (${count} account${count === 1 ? "" : "s"})`;
}

const parsed = command.safeParse(process.argv.slice(2));
if (!parsed.success) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const config = loadConfigOrExit();
const logger = createLogger({ service: "admin", ...config.logging });
try {
  const output = await withLocalDatabase(config.database.directUrl, { ...config.database.embedded, logger }, async (databaseUrl) => {
    await migrateDatabase({ databaseUrl, logger });
    const db = createDatabaseClient(databaseUrl);
    try {
      return await run(db, parsed.data);
    } finally {
      await db.$disconnect();
    }
  });
  process.stdout.write(`${output}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
