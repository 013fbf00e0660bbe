import { z } from "zod";
import { id } from "../../schemas/common.ts";
import { episodeDetail } from "../../schemas/episode.ts";
import { authedProcedure } from "../../trpc.ts";
import { findEpisodeDetail } from "./episode.ts";

export const getEpisodeInput = z.object({ id });

/** One of the caller's episodes with its contents, gem and the gem's latest analysis. */
export const get = authedProcedure
  .meta({ openapi: { method: "GET", path: "/episodes/{id}", summary: "One episode in full", tags: ["Episodes"], protect: true } })
  .input(getEpisodeInput)
  .output(episodeDetail)
  .query(({ ctx, input }) => findEpisodeDetail(ctx.db, ctx.user.userId, input.id));
