import { InvalidAccessTokenError, verifyAccessToken, type AccessTokenClaims } from "./access-token.ts";

const BEARER = /^Bearer (\S+)$/;

/** Who a request says it is: no bearer token, a token refused (with why), or a valid token's claims. */
export type Caller = { token: "none" } | { token: "refused"; reason: string } | { token: "valid"; claims: AccessTokenClaims };

/**
 * Reads and verifies a request's bearer token, once per HTTP request: the limits count under
 * its user, and the signed-in procedures of the request (every call of a batch) take it from there.
 * Revocation is checked by the procedures, not here.
 */
export async function identifyCaller(jwtSecret: string, authorization: string | undefined): Promise<Caller> {
  const token = BEARER.exec(authorization ?? "")?.[1];
  if (!token) return { token: "none" };
  try {
    return { token: "valid", claims: await verifyAccessToken(jwtSecret, token) };
  } catch (error) {
    if (error instanceof InvalidAccessTokenError) return { token: "refused", reason: error.message };
    throw error;
  }
}
