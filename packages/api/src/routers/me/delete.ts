import { z } from "zod";
import { authedProcedure } from "../../trpc.ts";

/**
 * Erases the account and everything in it: identities, sessions, tags, episodes, gems,
 * analyses, devices (push tokens) and notifications all go with the user row.
 */
export const deleteMe = authedProcedure
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    await ctx.db.user.deleteMany({ where: { id: ctx.user.userId } });
    return { deleted: true as const };
  });
