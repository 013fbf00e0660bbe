import { TRPCError } from "@trpc/server";
import { toUserProfile, userProfile, userProfileSelect } from "../../schemas/user.ts";
import { authedProcedure } from "../../trpc.ts";

/** The caller's profile, with the collector level their gems earned. */
export const get = authedProcedure.output(userProfile).query(async ({ ctx }) => {
  const user = await ctx.db.user.findUnique({ where: { id: ctx.user.userId }, select: userProfileSelect });
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "User not found" });
  return toUserProfile(user);
});
