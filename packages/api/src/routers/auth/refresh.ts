import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { signAccessToken } from "../../auth/access-token.ts";
import { rotateSession } from "../../auth/sessions.ts";
import { sessionTokens, toUserProfile, userProfileSelect } from "../../schemas/user.ts";
import { publicProcedure } from "../../trpc.ts";

export const refreshInput = z.object({ refreshToken: z.string().min(1).max(512) });

/** Trades a refresh token for a new access token and its successor; reusing an old one (after a short grace for concurrent refreshes) revokes the sign-in. */
export const refresh = publicProcedure
  .meta({
    openapi: { method: "POST", path: "/auth/refresh", summary: "Trade a refresh token for new tokens", tags: ["Auth"], protect: false },
  })
  .input(refreshInput)
  .output(sessionTokens)
  .mutation(async ({ ctx, input }) => {
    const rotated = await rotateSession(ctx.db, ctx.config.auth, ctx.revocations, input.refreshToken);
    const user = await ctx.db.user.findUnique({ where: { id: rotated.userId }, select: userProfileSelect });
    if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Refresh token invalid or expired" });
    const accessToken = await signAccessToken(ctx.config.auth.jwtSecret, { userId: user.id, sessionId: rotated.familyId, role: user.role });
    return { accessToken, refreshToken: rotated.refreshToken, user: toUserProfile(user), isNewUser: false };
  });
