import { z } from "zod";
import type { DatabaseClient } from "@daycarat/db";
import { replicaReadProcedure } from "../../trpc.ts";

const countsOutput = z.object({
  /** Episodes dated in the current month of the user's time zone. */
  thisMonth: z.number().int(),
  /** All the user's episodes. */
  total: z.number().int(),
  /** Gems submitted (collected), the number the collector level follows. */
  gems: z.number().int(),
});

/**
 * Episodes dated in the current month, "current" being the user's own wall clock: at
 * 2026-11-30T16:00Z it is already December in Seoul.
 */
async function countEpisodesThisMonth(db: DatabaseClient, userId: string): Promise<number> {
  // An aggregate without GROUP BY always answers one row.
  const [{ count }] = await db.$queryRaw<[{ count: number }]>`
    WITH this_month AS (
      SELECT date_trunc('month', now() AT TIME ZONE "timeZone")::date AS first_day
      FROM users
      WHERE id = ${userId}::uuid
    )
    SELECT count(e.id)::int AS count
    FROM this_month
    LEFT JOIN episodes e
      ON e."userId" = ${userId}::uuid
      AND e.date >= this_month.first_day
      AND e.date < this_month.first_day + interval '1 month'`;
  return count;
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
  .query(async ({ ctx }) => {
    const { userId } = ctx.user;
    const [thisMonth, total, gems] = await Promise.all([
      countEpisodesThisMonth(ctx.db, userId),
      ctx.db.episode.count({ where: { userId } }),
      ctx.db.gem.count({ where: { userId, submittedAt: { not: null } } }),
    ]);
    return { thisMonth, total, gems };
  });
