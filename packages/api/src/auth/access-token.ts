import { SignJWT, jwtVerify, errors } from "jose";
import { z } from "zod";
import type { Role } from "@daycarat/db";

const ISSUER = "daycarat";
const AUDIENCE = "daycarat-api";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface AccessTokenClaims {
  userId: string;
  role: Role;
}

const claimsSchema = z.object({ sub: z.uuid(), role: z.enum(["USER", "ADMIN"]) });

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
  return new SignJWT({ role: claims.role })
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

/** The claims of a valid token; throws InvalidAccessTokenError for an expired, tampered or foreign one. */
export async function verifyAccessToken(secret: string, token: string): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, signingKey(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
    });
    const claims = claimsSchema.parse(payload);
    return { userId: claims.sub, role: claims.role };
  } catch (error) {
    throw new InvalidAccessTokenError(error instanceof errors.JWTExpired ? "expired" : "invalid");
  }
}
