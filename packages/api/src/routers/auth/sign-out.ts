import { z } from "zod";
import { endSession } from "../../auth/sessions.ts";
import { publicProcedure } from "../../trpc.ts";

export const signOutInput = z.object({ refreshToken: z.string().min(1).max(512) });

/** Ends the sign-in the refresh token belongs to, its access tokens at once. The last sign-in's end removes the user's devices. */
export const signOut = publicProcedure
  .meta({ openapi: { method: "POST", path: "/auth/sign-out", summary: "Sign out", tags: ["Auth"], protect: false } })
  .input(signOutInput)
  .output(z.object({ signedOut: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await endSession(ctx.db, ctx.jobs, ctx.revocations, input.refreshToken);
    return { signedOut: true as const };
  });
