import { z } from "zod";
import { Prisma, type DatabaseClient } from "@daycarat/db";
import { id, keyword } from "../../schemas/common.ts";
import { replicaReadProcedure } from "../../trpc.ts";
import { month, year } from "./calendar.ts";

export const monthlyReportInput = z.object({ year, month });

const monthlyReportOutput = z.object({
  year,
  month,
  /** Gems submitted that month. */
  gems: z.number().int(),
  /** The keyword most of those gems' episodes carry; ties go to the keyword listed first in the product's order. */
  topKeyword: keyword.nullable(),
  /** The activity most of those gems' episodes belong to; ties go to the name that sorts first. */
  topActivity: z.object({ id, name: z.string(), count: z.number().int() }).nullable(),
});

type MonthlyReport = z.infer<typeof monthlyReportOutput>;

/**
 * The episodes of the user's gems submitted in a month, one row per gem. The month runs
 * from midnight on its first day to midnight on the next month's first day, both on the
 * user's wall clock: a gem submitted at 2026-10-31T15:30Z is November in Seoul.
 */
function episodesOfGemsSubmittedIn(userId: string, report: { year: number; month: number }): Prisma.Sql {
  const firstDay = Prisma.sql`make_date(${report.year}::int, ${report.month}::int, 1)`;
  return Prisma.sql`
    SELECT e.keyword, t.id AS "activityTagId", t.name AS "activityName"
    FROM gems g
    JOIN episodes e ON e.id = g."episodeId"
    JOIN activity_tags t ON t.id = e."activityTagId"
    JOIN users u ON u.id = g."userId"
    WHERE g."userId" = ${userId}::uuid
      AND g."submittedAt" >= ${firstDay}::timestamp AT TIME ZONE u."timeZone"
      AND g."submittedAt" < (${firstDay} + interval '1 month') AT TIME ZONE u."timeZone"`;
}

async function countGems(db: DatabaseClient, monthEpisodes: Prisma.Sql): Promise<number> {
  // An aggregate without GROUP BY always answers one row.
  const [{ count }] = await db.$queryRaw<[{ count: number }]>`SELECT count(*)::int AS count FROM (${monthEpisodes}) AS m`;
  return count;
}

async function findTopKeyword(db: DatabaseClient, monthEpisodes: Prisma.Sql): Promise<MonthlyReport["topKeyword"]> {
  // Postgres orders an enum by its declaration, which lists the keywords in the product's order.
  const [top] = await db.$queryRaw<{ keyword: NonNullable<MonthlyReport["topKeyword"]> }[]>`
    SELECT keyword
    FROM (${monthEpisodes}) AS m
    WHERE keyword <> 'UNSET'
    GROUP BY keyword
    ORDER BY count(*) DESC, keyword
    LIMIT 1`;
  return top?.keyword ?? null;
}

async function findTopActivity(db: DatabaseClient, monthEpisodes: Prisma.Sql): Promise<MonthlyReport["topActivity"]> {
  const [top] = await db.$queryRaw<NonNullable<MonthlyReport["topActivity"]>[]>`
    SELECT "activityTagId" AS id, "activityName" AS name, count(*)::int AS count
    FROM (${monthEpisodes}) AS m
    GROUP BY "activityTagId", "activityName"
    ORDER BY count(*) DESC, "activityName"
    LIMIT 1`;
  return top ?? null;
}

/** A month in review: gems collected, and the keyword and activity they were mostly about. */
export const monthlyReport = replicaReadProcedure
  .meta({ openapi: { method: "GET", path: "/stats/monthly-report", summary: "A month in review", tags: ["Stats"], protect: true } })
  .input(monthlyReportInput)
  .output(monthlyReportOutput)
  .query(async ({ ctx, input }) => {
    const monthEpisodes = episodesOfGemsSubmittedIn(ctx.user.userId, input);
    const [gems, topKeyword, topActivity] = await Promise.all([
      countGems(ctx.db, monthEpisodes),
      findTopKeyword(ctx.db, monthEpisodes),
      findTopActivity(ctx.db, monthEpisodes),
    ]);
    return { ...input, gems, topKeyword, topActivity };
  });
