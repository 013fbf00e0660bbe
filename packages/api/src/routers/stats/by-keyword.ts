import { z } from "zod";
import { keyword } from "../../schemas/common.ts";
import { replicaReadProcedure } from "../../trpc.ts";

const keywordCount = z.object({ keyword, count: z.number().int() });

/** The caller's finalized episodes per competency keyword: all six, in the product's order, unused ones at 0. */
export const byKeyword = replicaReadProcedure
  .meta({
    openapi: { method: "GET", path: "/stats/by-keyword", summary: "Finalized episodes per keyword", tags: ["Stats"], protect: true },
  })
  .output(z.array(keywordCount).length(keyword.options.length))
  .query(async ({ ctx }) => {
    const groups = await ctx.db.episode.groupBy({
      by: ["keyword"],
      where: { userId: ctx.user.userId, state: "FINALIZED", keyword: { not: "UNSET" } },
      _count: { _all: true },
    });
    const counts = new Map(groups.map((group) => [group.keyword, group._count._all]));
    return keyword.options.map((value) => ({ keyword: value, count: counts.get(value) ?? 0 }));
  });
