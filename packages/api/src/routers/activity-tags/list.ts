import { z } from "zod";
import { replicaReadProcedure } from "../../trpc.ts";
import { activityTag, activityTagSelect, toActivityTag } from "./activity-tag.ts";

/** The caller's activity tags by name, each with how many episodes use it. */
export const list = replicaReadProcedure
  .meta({ openapi: { method: "GET", path: "/activity-tags", summary: "Your activity tags", tags: ["Activity tags"], protect: true } })
  .output(z.array(activityTag))
  .query(async ({ ctx }) => {
    const tags = await ctx.db.activityTag.findMany({
      where: { userId: ctx.user.userId },
      orderBy: { name: "asc" },
      select: activityTagSelect(ctx.user.userId),
    });
    return tags.map(toActivityTag);
  });
