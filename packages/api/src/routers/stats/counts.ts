import { z } from "zod";
import { Prisma, readRows, type DatabaseClient } from "@daycarat/db";
import { replicaReadProcedure } from "../../trpc.ts";

const countsOutput = z.object({
  /** Episodes dated in the current month of the user's time zone. */
  thisMonth: z.number().int(),
  /** All the user's episodes. */
  total: z.number().int(),
  /** Gems submitted (collected), the number the collector level follows. */
  gems: z.number().int(),
});

type Counts = z.infer<typeof countsOutput>;

/**
 * The three numbers in one statement, one round trip: episodes dated in the current month,
 * "current" being the user's own wall clock (at 2026-11-30T16:00Z it is already December in
 * Seoul), all the user's episodes, and the gems submitted. Each count reads one index. The home
 * screen asks for them at every visit: read on the pool directly (readRows).
 */
async function countsOf(db: DatabaseClient, userId: string): Promise<Counts> {
  const [counts] = await readRows<Counts>(
    db,
    Prisma.sql`
    WITH this_month AS (
      SELECT date_trunc('month', now() AT TIME ZONE "timeZone")::date AS first_day
      FROM users
      WHERE id = ${userId}::uuid
    )
    SELECT
      (SELECT count(e.id)::int
        FROM this_month
        JOIN episodes e
          ON e."userId" = ${userId}::uuid
          AND e.date >= this_month.first_day
          AND e.date < this_month.first_day + interval '1 month') AS "thisMonth",
      (SELECT count(*)::int FROM episodes WHERE "userId" = ${userId}::uuid) AS total,
      (SELECT count(*)::int FROM gems WHERE "userId" = ${userId}::uuid AND "submittedAt" IS NOT NULL) AS gems`,
  );
  // A SELECT without FROM answers exactly one row.
  if (!counts) throw new Error("the counts statement answered no row");
  return counts;
}

/** The caller's headline numbers: episodes this month, episodes in all, gems collected. */
export const counts = replicaReadProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/stats/counts",
      summary: "Your headline numbers",
      tags: ["Stats"],
      protect: true,
      example: { response: { thisMonth: 3, total: 12, gems: 4 } },
    },
  })
  .output(countsOutput)
  .query(({ ctx }) => countsOf(ctx.db, ctx.user.userId));
