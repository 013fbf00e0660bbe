import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT, type JWTVerifyOptions } from "jose";

// Access tokens are minted here with the claims packages/api/src/auth/access-token.ts
// signs (the server runs in production, where development sign-in is off). The API accepts
// none older than 15 minutes, so each scenario gets fresh ones. The session id names no
// stored sign-in: the server only checks that it was not revoked.
const ISSUER = "daycarat";
const AUDIENCE = "daycarat-api";
const LIFETIME_SECONDS = 15 * 60;

/** The checks packages/api/src/auth/access-token.ts makes, for the raw baseline server (ceiling/). */
export const ACCESS_TOKEN_CHECKS = {
  issuer: ISSUER,
  audience: AUDIENCE,
  algorithms: ["HS256"],
  requiredClaims: ["exp", "iat", "sub", "sid"],
  maxTokenAge: LIFETIME_SECONDS,
  clockTolerance: 30,
} satisfies JWTVerifyOptions;

/** A one-run signing secret, shared by this process and the server it starts. */
export function generateJwtSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function mintAccessToken(jwtSecret: string, userId: string): Promise<string> {
  return new SignJWT({ role: "USER", sid: randomUUID() })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(new TextEncoder().encode(jwtSecret));
}
