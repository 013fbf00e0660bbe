import { TRPCError } from "@trpc/server";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { z } from "zod";
import type { ProviderIdentity } from "./sign-in.ts";

const APPLE_ISSUER = "https://appleid.apple.com";

// jose caches the key set and refetches it when a token names a key it has not seen
// (Apple rotates keys), at most once per cooldown: short enough that sign-ins right after a
// rotation recover within seconds, long enough that forged key ids cannot make us hammer Apple.
const JWKS_REFETCH_COOLDOWN_MS = 5_000;
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function appleKeys(jwksUrl: string) {
  let keys = keySets.get(jwksUrl);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: JWKS_REFETCH_COOLDOWN_MS, timeoutDuration: 5_000 });
    keySets.set(jwksUrl, keys);
  }
  return keys;
}

const appleClaimsSchema = z.object({ sub: z.string().min(1), email: z.string().optional() });

/** Verifies an Apple identity token: signature against Apple's keys, issuer, audience, expiry. */
export async function verifyAppleIdentity(
  jwksUrl: string,
  clientIds: string[],
  identityToken: string,
): Promise<ProviderIdentity> {
  if (clientIds.length === 0) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Sign in with Apple is not configured (APPLE_CLIENT_IDS)" });
  }
  try {
    const { payload } = await jwtVerify(identityToken, appleKeys(jwksUrl), {
      issuer: APPLE_ISSUER,
      audience: clientIds,
      algorithms: ["RS256"],
    });
    const claims = appleClaimsSchema.parse(payload);
    return { provider: "APPLE", providerUserId: claims.sub, email: claims.email };
  } catch (error) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Apple identity token rejected", cause: error });
  }
}
