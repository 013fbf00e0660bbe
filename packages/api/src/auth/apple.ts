import { createHash } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { createRemoteJWKSet, decodeJwt, importPKCS8, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { AppConfig } from "@daycarat/config";
import type { LogMethods } from "@daycarat/logger";
import type { ProviderIdentity } from "./sign-in.ts";

const APPLE_ISSUER = "https://appleid.apple.com";
const APPLE_TIMEOUT_MS = 5_000;

/** What revoking Apple tokens needs (APPLE_TEAM_ID, APPLE_KEY_ID, APPLE_PRIVATE_KEY, APPLE_API_URL). */
export type AppleRevocationConfig = NonNullable<AppConfig["auth"]["appleRevocation"]>;

// jose caches the key set and refetches it when a token names a key it has not seen
// (Apple rotates keys), at most once per cooldown: short enough that sign-ins right after a
// rotation recover within seconds, long enough that forged key ids cannot make us hammer Apple.
const JWKS_REFETCH_COOLDOWN_MS = 5_000;
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function appleKeys(jwksUrl: string) {
  let keys = keySets.get(jwksUrl);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: JWKS_REFETCH_COOLDOWN_MS, timeoutDuration: APPLE_TIMEOUT_MS });
    keySets.set(jwksUrl, keys);
  }
  return keys;
}

const appleClaimsSchema = z.object({
  sub: z.string().min(1),
  aud: z.string().min(1),
  email: z.string().optional(),
  nonce: z.string().optional(),
});

/** Apple puts the SHA-256 (hex) of the nonce the app passed to its sign-in request in the token. */
const hashedNonce = (nonce: string) => createHash("sha256").update(nonce).digest("hex");

export interface AppleIdentity extends ProviderIdentity {
  /** The client id (bundle or service id) the token was issued for. */
  clientId: string;
}

/**
 * Verifies an Apple identity token: signature against Apple's keys, issuer, audience, expiry,
 * and, when the client sends the raw nonce it signed in with, the token's nonce claim.
 */
export async function verifyAppleIdentity(
  jwksUrl: string,
  clientIds: string[],
  identityToken: string,
  nonce: string | undefined,
): Promise<AppleIdentity> {
  if (clientIds.length === 0) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Sign in with Apple is not configured (APPLE_CLIENT_IDS)" });
  }
  let claims: z.infer<typeof appleClaimsSchema>;
  try {
    const { payload } = await jwtVerify(identityToken, appleKeys(jwksUrl), {
      issuer: APPLE_ISSUER,
      audience: clientIds,
      algorithms: ["RS256"],
    });
    claims = appleClaimsSchema.parse(payload);
  } catch (error) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Apple identity token rejected", cause: error });
  }
  if (nonce !== undefined && claims.nonce !== hashedNonce(nonce)) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Apple identity token rejected: the nonce does not match" });
  }
  return { provider: "APPLE", providerUserId: claims.sub, email: claims.email, clientId: claims.aud };
}

const signingKeys = new Map<string, Promise<CryptoKey>>();

/** The client secret Apple's token endpoints take: a short-lived JWT signed with the team's key. */
async function clientSecret(config: AppleRevocationConfig, clientId: string): Promise<string> {
  let key = signingKeys.get(config.privateKey);
  if (!key) {
    key = importPKCS8(config.privateKey, "ES256");
    signingKeys.set(config.privateKey, key);
  }
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: config.keyId })
    .setIssuer(config.teamId)
    .setSubject(clientId)
    .setAudience(APPLE_ISSUER)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(await key);
}

async function postToApple(
  config: AppleRevocationConfig,
  path: string,
  clientId: string,
  fields: Record<string, string>,
): Promise<Response> {
  const body = new URLSearchParams({ client_id: clientId, client_secret: await clientSecret(config, clientId), ...fields });
  return fetch(new URL(path, config.apiUrl), { method: "POST", body, signal: AbortSignal.timeout(APPLE_TIMEOUT_MS) });
}

const tokenResponseSchema = z.object({ refresh_token: z.string().min(1).max(1024), id_token: z.string() });

/**
 * Trades the authorization code of a sign-in for Apple's refresh token, kept so that deleting
 * the account can revoke it. Sign-in does not depend on it: a failure is logged and yields none.
 */
export async function exchangeAppleAuthorizationCode(
  config: AppleRevocationConfig,
  identity: AppleIdentity,
  authorizationCode: string,
  log: LogMethods,
): Promise<string | undefined> {
  try {
    const response = await postToApple(config, "/auth/token", identity.clientId, {
      code: authorizationCode,
      grant_type: "authorization_code",
    });
    if (!response.ok) throw new Error(`Apple answered ${response.status}: ${await response.text()}`);
    const tokens = tokenResponseSchema.parse(await response.json());
    // The code must be of the same Apple user as the identity token.
    if (decodeJwt(tokens.id_token).sub !== identity.providerUserId) throw new Error("the code belongs to another Apple user");
    return tokens.refresh_token;
  } catch (error) {
    log.warn({ err: error }, "could not exchange the Apple authorization code: the account's Apple token cannot be revoked later");
    return undefined;
  }
}

/** Revokes a refresh token at Apple (their account deletion requirement); throws when Apple refuses. */
export async function revokeAppleToken(config: AppleRevocationConfig, clientId: string, refreshToken: string): Promise<void> {
  const response = await postToApple(config, "/auth/revoke", clientId, { token: refreshToken, token_type_hint: "refresh_token" });
  if (!response.ok) throw new Error(`Apple answered ${response.status} to the token revocation: ${await response.text()}`);
}
