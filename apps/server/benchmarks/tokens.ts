import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";

// Access tokens are minted here with the claims packages/api/src/auth/access-token.ts
// signs (the server runs in production, where development sign-in is off). Only the
// lifetime differs: a full run outlasts the API's 15 minutes.
const ISSUER = "daycarat";
const AUDIENCE = "daycarat-api";
const LIFETIME = "2h";

/** A one-run signing secret, shared by this process and the server it starts. */
export function generateJwtSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function mintAccessToken(jwtSecret: string, userId: string): Promise<string> {
  return new SignJWT({ role: "USER" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LIFETIME)
    .sign(new TextEncoder().encode(jwtSecret));
}
