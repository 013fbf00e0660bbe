import { z } from "zod";
import { verifyAppleIdentity } from "../../auth/apple.ts";
import { signIn } from "../../auth/sign-in.ts";
import { sessionTokens } from "../../schemas/user.ts";
import { publicProcedure } from "../../trpc.ts";

export const appleInput = z.object({ identityToken: z.string().min(1).max(8192) });

/** Sign in with an Apple identity token, verified against Apple's published keys. */
export const apple = publicProcedure
  .meta({ openapi: { method: "POST", path: "/auth/apple", summary: "Sign in with Apple", tags: ["Auth"], protect: false } })
  .input(appleInput)
  .output(sessionTokens)
  .mutation(async ({ ctx, input }) => {
    const { appleJwksUrl, appleClientIds } = ctx.config.auth;
    const identity = await verifyAppleIdentity(appleJwksUrl, appleClientIds, input.identityToken);
    return signIn(ctx.db, ctx.config, identity);
  });
