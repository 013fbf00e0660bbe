import { z } from "zod";
import { removeDevices } from "@daycarat/domain";
import { authedProcedure } from "../../trpc.ts";

/**
 * Erases the account and everything in it: identities, sessions, tags, episodes, gems,
 * analyses, devices (push tokens) and notifications all go with the user row. The push
 * tokens are kept just long enough for the worker to take them off the notices topic.
 */
export const deleteMe = authedProcedure
  .meta({ openapi: { method: "DELETE", path: "/me", summary: "Delete your account and everything in it", tags: ["Me"], protect: true } })
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    await ctx.db.$transaction(async (tx) => {
      await removeDevices(ctx.jobs, tx, { userId: ctx.user.userId });
      await tx.user.deleteMany({ where: { id: ctx.user.userId } });
    });
    return { deleted: true as const };
  });
