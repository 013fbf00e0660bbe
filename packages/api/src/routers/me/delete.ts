import { z } from "zod";
import { removeDevices } from "@daycarat/domain";
import { revokeAppleToken } from "../../auth/apple.ts";
import { revokeAccess } from "../../auth/revocations.ts";
import type { Context } from "../../context.ts";
import { authedProcedure } from "../../trpc.ts";

/**
 * Erases the account and everything in it: identities, sessions, tags, episodes, gems,
 * analyses, devices (push tokens) and notifications all go with the user row. The push
 * tokens are kept just long enough for the worker to take them off the notices topic. The
 * user's access tokens stop at once on every server, and Apple's token (when Apple revocation
 * is configured and sign-in gave one) is revoked at Apple.
 */
export const deleteMe = authedProcedure
  .meta({ openapi: { method: "DELETE", path: "/me", summary: "Delete your account and everything in it", tags: ["Me"], protect: true } })
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    const { userId } = ctx.user;
    const appleTokens = await ctx.db.identity.findMany({
      where: { userId, provider: "APPLE", providerRefreshToken: { not: null } },
      select: { providerRefreshToken: true, providerClientId: true },
    });
    await ctx.db.$transaction(async (tx) => {
      await removeDevices(ctx.jobs, tx, { userId });
      await revokeAccess(tx, { userId });
      await tx.user.deleteMany({ where: { id: userId } });
    });
    await ctx.revocations.applied({ userId });
    await revokeAppleTokens(ctx, appleTokens);
    return { deleted: true as const };
  });

/** The account is gone whatever Apple answers; a token left unrevoked is reported for an operator. */
async function revokeAppleTokens(ctx: Context, tokens: { providerRefreshToken: string | null; providerClientId: string | null }[]) {
  const config = ctx.config.auth.appleRevocation;
  if (!config) return;
  for (const { providerRefreshToken, providerClientId } of tokens) {
    if (!providerRefreshToken || !providerClientId) continue;
    await revokeAppleToken(config, providerClientId, providerRefreshToken).catch((error: unknown) => {
      ctx.log.error({ err: error }, "could not revoke the deleted account's Apple token");
    });
  }
}
