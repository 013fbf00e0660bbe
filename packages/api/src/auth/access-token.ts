import { SignJWT, jwtVerify, errors } from "jose";
import { z } from "zod";
import { Role } from "@daycarat/db";

const ISSUER = "daycarat";
const AUDIENCE = "daycarat-api";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** How far the clocks of the servers that sign and verify tokens may drift apart. */
export const ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS = 30;

export interface AccessTokenClaims {
  userId: string;
  /** The sign-in (session family) the token was issued for: signing out or revoking it ends the token too. */
  sessionId: string;
  role: Role;
}

const claimsSchema = z.object({ sub: z.uuid(), sid: z.uuid(), role: z.enum(Role) });

const keyCache = new Map<string, Uint8Array>();
function signingKey(secret: string): Uint8Array {
  let key = keyCache.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keyCache.set(secret, key);
  }
  return key;
}

export async function signAccessToken(secret: string, claims: AccessTokenClaims): Promise<string> {
  return new SignJWT({ role: claims.role, sid: claims.sessionId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(signingKey(secret));
}

export class InvalidAccessTokenError extends Error {
  constructor(reason: "expired" | "invalid") {
    super(reason === "expired" ? "Access token expired" : "Access token invalid");
  }
}

/**
 * The claims of a valid token; throws InvalidAccessTokenError for an expired, tampered or
 * foreign one. Whatever `exp` a token claims, it lives at most ACCESS_TOKEN_TTL_SECONDS from
 * its `iat`, and an `iat` in the future (beyond the clock tolerance) is refused.
 */
export async function verifyAccessToken(secret: string, token: string): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, signingKey(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      requiredClaims: ["exp", "iat", "sub", "sid"],
      maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
      clockTolerance: ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
    });
    const claims = claimsSchema.parse(payload);
    return { userId: claims.sub, sessionId: claims.sid, role: claims.role };
  } catch (error) {
    throw new InvalidAccessTokenError(error instanceof errors.JWTExpired ? "expired" : "invalid");
  }
}
