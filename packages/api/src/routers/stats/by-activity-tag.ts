import { z } from "zod";
import { id } from "../../schemas/common.ts";
import { authedProcedure } from "../../trpc.ts";

const activityTagCount = z.object({ activityTagId: id, name: z.string(), count: z.number().int() });

/**
 * The caller's episodes per activity tag, most used first (equal counts by name). Tags
 * no episode uses any more are left out: they have nothing to chart.
 */
export const byActivityTag = authedProcedure.output(z.array(activityTagCount)).query(async ({ ctx }) => {
  const tags = await ctx.db.activityTag.findMany({
    where: { userId: ctx.user.userId, episodes: { some: {} } },
    select: { id: true, name: true, _count: { select: { episodes: true } } },
    orderBy: [{ episodes: { _count: "desc" } }, { name: "asc" }],
  });
  return tags.map(({ id: activityTagId, name, _count }) => ({ activityTagId, name, count: _count.episodes }));
});
