import { z } from "zod";
import { episodeSummary, episodeSummarySelect, toEpisodeSummary } from "../../schemas/episode.ts";
import { replicaReadProcedure } from "../../trpc.ts";

const RECENT_COUNT = 3;

/** The caller's three most recently created episodes, newest first. */
export const recent = replicaReadProcedure
  .meta({ openapi: { method: "GET", path: "/recent-episodes", summary: "Your three newest episodes", tags: ["Episodes"], protect: true } })
  .output(z.array(episodeSummary))
  .query(async ({ ctx }) => {
    const episodes = await ctx.db.episode.findMany({
      where: { userId: ctx.user.userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RECENT_COUNT,
      select: episodeSummarySelect,
    });
    return episodes.map(toEpisodeSummary);
  });
