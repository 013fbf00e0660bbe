import { z } from "zod";
import { id } from "../../schemas/common.ts";
import { replicaReadProcedure } from "../../trpc.ts";

const activityTagCount = z.object({ activityTagId: id, name: z.string(), count: z.number().int() });

/**
 * The caller's episodes per activity tag, most used first (equal counts by name). Tags
 * no episode uses any more are left out: they have nothing to chart.
 */
export const byActivityTag = replicaReadProcedure
  .meta({
    openapi: { method: "GET", path: "/stats/by-activity-tag", summary: "Episodes per activity tag", tags: ["Stats"], protect: true },
  })
  .output(z.array(activityTagCount))
  .query(
    ({ ctx }) =>
      // Grouping the user's episodes (index on user, tag) counts only their rows.
      ctx.db.$queryRaw<z.infer<typeof activityTagCount>[]>`
      SELECT t.id AS "activityTagId", t.name, count(*)::int AS count
      FROM episodes e
      JOIN activity_tags t ON t.id = e."activityTagId"
      WHERE e."userId" = ${ctx.user.userId}::uuid
      GROUP BY t.id, t.name
      ORDER BY count DESC, t.name`,
  );
