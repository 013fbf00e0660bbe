import { z } from "zod";
import { Prisma, readRows } from "@daycarat/db";
import { replicaReadProcedure } from "../../trpc.ts";
import { month, year } from "./calendar.ts";

export const byMonthInput = z.object({ year });

const monthCount = z.object({ month, count: z.number().int() });

/**
 * The caller's episodes per month of a year, by episode date: always twelve buckets,
 * January first, months without episodes counting 0 (generate_series makes the empty ones).
 * The statistics screen asks for it at every visit: read on the pool directly (readRows).
 */
export const byMonth = replicaReadProcedure
  .meta({ openapi: { method: "GET", path: "/stats/by-month", summary: "Episodes per month of a year", tags: ["Stats"], protect: true } })
  .input(byMonthInput)
  .output(z.array(monthCount).length(12))
  .query(({ ctx, input }) =>
    readRows<z.infer<typeof monthCount>>(
      ctx.db,
      Prisma.sql`
      SELECT m.month, count(e.id)::int AS count
      FROM generate_series(1, 12) AS m(month)
      LEFT JOIN episodes e
        ON e."userId" = ${ctx.user.userId}::uuid
        AND e.date >= make_date(${input.year}::int, m.month, 1)
        AND e.date < make_date(${input.year}::int, m.month, 1) + interval '1 month'
      GROUP BY m.month
      ORDER BY m.month`,
    ),
  );
