import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createTestDatabase, startProcess } from "@daycarat/testkit";

const ADMIN_SCRIPT = fileURLToPath(new URL("../scripts/admin.ts", import.meta.url));

const { db, url } = await createTestDatabase();

async function admin(...args: string[]) {
  const run = startProcess(ADMIN_SCRIPT, { DATABASE_URL: url, LOG_LEVEL: "warn" }, args);
  const { code } = await run.exited(30_000);
  return { code, output: run.output() };
}

describe("pnpm admin", () => {
  it("grants and revokes ADMIN by email and lists the administrators", async () => {
    const user = await db.user.create({ data: { email: "Mina@daycarat.dev", nickname: "미나" } });
    await db.user.create({ data: { email: "other@daycarat.dev", nickname: "다른 사람" } });

    expect(await admin("grant", "mina@daycarat.dev")).toMatchObject({
      code: 0,
      output: expect.stringContaining("ADMIN (1 account)") as unknown,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("ADMIN");
    const listed = await admin("list");
    expect(listed.output).toContain("Mina@daycarat.dev\t미나");
    expect(listed.output).not.toContain("other@daycarat.dev");

    expect((await admin("revoke", "mina@daycarat.dev")).code).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("USER");
    expect((await admin("list")).output).toContain("no administrators");
  });

  it("fails clearly for an unknown email and for bad usage, changing nothing", async () => {
    const unknown = await admin("grant", "nobody@daycarat.dev");
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain("no user has the email nobody@daycarat.dev");
    for (const args of [[], ["grant"], ["grant", "not-an-email"], ["promote", "mina@daycarat.dev"]]) {
      const bad = await admin(...args);
      expect(bad.code, args.join(" ")).toBe(2);
      expect(bad.output).toContain("usage: pnpm admin");
    }
    expect(await db.user.count({ where: { role: "ADMIN" } })).toBe(0);
  });
});
