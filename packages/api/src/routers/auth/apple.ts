import { z } from "zod";
import { exchangeAppleAuthorizationCode, verifyAppleIdentity } from "../../auth/apple.ts";
import { signIn } from "../../auth/sign-in.ts";
import { sessionTokens } from "../../schemas/user.ts";
import { publicProcedure } from "../../trpc.ts";

/** Printable ASCII without spaces: what Apple's tokens, codes and an app's nonce are made of. */
const appleText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

export const appleInput = z.object({
  identityToken: appleText(8192),
  /** The raw nonce the app passed to Apple's sign-in request; the token must carry its SHA-256. */
  nonce: appleText(256).optional(),
  /** The sign-in's authorization code: with Apple revocation configured, it is exchanged for the token deleting the account revokes. */
  authorizationCode: appleText(1024).optional(),
});

/** Sign in with an Apple identity token, verified against Apple's published keys. */
export const apple = publicProcedure
  .meta({ openapi: { method: "POST", path: "/auth/apple", summary: "Sign in with Apple", tags: ["Auth"], protect: false } })
  .input(appleInput)
  .output(sessionTokens)
  .mutation(async ({ ctx, input }) => {
    const { appleJwksUrl, appleClientIds, appleRevocation } = ctx.config.auth;
    const identity = await verifyAppleIdentity(appleJwksUrl, appleClientIds, input.identityToken, input.nonce);
    const refreshToken =
      appleRevocation && input.authorizationCode
        ? await exchangeAppleAuthorizationCode(appleRevocation, identity, input.authorizationCode, ctx.log)
        : undefined;
    return signIn(ctx.db, ctx.config, {
      ...identity,
      revocableToken: refreshToken ? { refreshToken, clientId: identity.clientId } : undefined,
    });
  });
