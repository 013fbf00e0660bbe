import { z } from "zod";
import { activityTagSearchFilter } from "@daycarat/db";
import { userText } from "../../schemas/common.ts";
import { ACTIVITY_TAG_MAX } from "../../schemas/episode.ts";
import { replicaReadProcedure } from "../../trpc.ts";
import { activityTag, activityTagSelect, toActivityTag } from "./activity-tag.ts";

export const searchActivityTagsInput = z.object({ query: userText(ACTIVITY_TAG_MAX) });

/**
 * The caller's tags matching a query by substring, by initial consonants ("ㅋㅅㅈ" finds
 * "큐시즘 29기") or by a syllable still being typed ("큣" finds "큐시즘"), by name.
 */
export const search = replicaReadProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/activity-tags/search",
      summary: "Search your activity tags",
      tags: ["Activity tags"],
      protect: true,
      example: { request: { query: "ㅋㅅㅈ" } },
    },
  })
  .input(searchActivityTagsInput)
  .output(z.array(activityTag))
  .query(async ({ ctx, input }) => {
    const tags = await ctx.db.activityTag.findMany({
      where: { userId: ctx.user.userId, ...activityTagSearchFilter(input.query) },
      orderBy: { name: "asc" },
      select: activityTagSelect(ctx.user.userId),
    });
    return tags.map(toActivityTag);
  });
