import { z } from "zod";
import { DomainError } from "@daycarat/domain";
import { id } from "../../schemas/common.ts";
import { activityTagNotFound, prismaErrorCode } from "../../errors.ts";
import { authedProcedure } from "../../trpc.ts";

export const deleteActivityTagInput = z.object({ id });

const tagInUse = () => new DomainError("CONFLICT", "Episodes still use this activity tag: move or delete them first");

/** Deletes one of the caller's tags, only while no episode uses it. */
export const deleteActivityTag = authedProcedure
  .meta({
    openapi: {
      method: "DELETE",
      path: "/activity-tags/{id}",
      summary: "Delete an activity tag no episode uses",
      tags: ["Activity tags"],
      protect: true,
      refusals: ["CONFLICT"],
    },
  })
  .input(deleteActivityTagInput)
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    const tag = { id: input.id, userId: ctx.user.userId };
    const { count } = await ctx.db.activityTag.deleteMany({ where: { ...tag, episodes: { none: {} } } }).catch((error: unknown) => {
      // An episode given this tag while we deleted it: the foreign key refuses the delete.
      if (prismaErrorCode(error) === "P2003") throw tagInUse();
      throw error;
    });
    if (count === 0) throw (await ctx.db.activityTag.count({ where: tag })) > 0 ? tagInUse() : activityTagNotFound();
    return { deleted: true as const };
  });
