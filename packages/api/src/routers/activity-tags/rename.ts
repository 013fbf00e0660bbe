import { z } from "zod";
import { activityTagSearchColumns } from "@daycarat/db";
import { DomainError } from "@daycarat/domain";
import { id } from "../../schemas/common.ts";
import { activityTagName } from "../../schemas/episode.ts";
import { activityTagNotFound, prismaErrorCode } from "../../errors.ts";
import { authedProcedure } from "../../trpc.ts";
import { activityTag, activityTagSelect, toActivityTag } from "./activity-tag.ts";

export const renameActivityTagInput = z.object({ id, name: activityTagName });

/** Renames a tag everywhere it is used; the name must stay unique among the caller's tags. */
export const rename = authedProcedure
  .meta({
    openapi: {
      method: "PATCH",
      path: "/activity-tags/{id}",
      summary: "Rename an activity tag",
      tags: ["Activity tags"],
      protect: true,
      refusals: ["CONFLICT"],
    },
  })
  .input(renameActivityTagInput)
  .output(activityTag)
  .mutation(async ({ ctx, input }) => {
    const renamed = await ctx.db.activityTag
      .update({
        where: { id: input.id, userId: ctx.user.userId },
        // The search columns are derived from the name and must never lag behind it.
        data: { name: input.name, ...activityTagSearchColumns(input.name) },
        select: activityTagSelect(ctx.user.userId),
      })
      .catch((error: unknown) => {
        // The unique index decides, so two renames racing to one name cannot both win.
        if (prismaErrorCode(error) === "P2002") {
          throw new DomainError("CONFLICT", `An activity tag named "${input.name}" already exists`);
        }
        if (prismaErrorCode(error) === "P2025") throw activityTagNotFound();
        throw error;
      });
    return toActivityTag(renamed);
  });
