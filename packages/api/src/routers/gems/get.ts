import { z } from "zod";
import { findEpisodeGem } from "@daycarat/domain";
import { id } from "../../schemas/common.ts";
import { gem, gemSelect, toGem } from "../../schemas/gem.ts";
import { authedProcedure } from "../../trpc.ts";

export const getInput = z.object({ episodeId: id });

/** The gem of one of the caller's episodes, or null before its first draft. */
export const get = authedProcedure
  .meta({ openapi: { method: "GET", path: "/episodes/{episodeId}/gem", summary: "An episode's gem", tags: ["Gems"], protect: true } })
  .input(getInput)
  .output(gem.nullable())
  .query(async ({ ctx, input }) => {
    const found = await findEpisodeGem(ctx.db, ctx.user.userId, input.episodeId, gemSelect);
    return found ? toGem(found) : null;
  });
