import { afterAll, expect, it } from "vitest";
import { createDatabaseClient, type ExecutedQuery } from "@daycarat/db";
import { createTestDatabase } from "@daycarat/testkit";

it("reports each statement it sends, with its parameters, to onQuery", async () => {
  const { url } = await createTestDatabase();
  const queries: ExecutedQuery[] = [];
  const db = createDatabaseClient(url, { maxConnections: 1, onQuery: (query) => queries.push(query) });
  afterAll(() => db.$disconnect());

  await db.user.findMany({ where: { email: "someone@daycarat.dev" }, take: 5 });

  const select = queries.find((query) => query.query.includes('FROM "public"."users"'));
  expect(select?.query).toMatch(/WHERE "public"\."users"\."email" = \$1/);
  expect(JSON.parse(select?.params ?? "[]")).toContain("someone@daycarat.dev");
});
