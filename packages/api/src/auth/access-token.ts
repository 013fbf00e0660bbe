import { SignJWT, jwtVerify, errors, type JWTPayload } from "jose";
import { LRUCache } from "lru-cache";
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

/**
 * How many verified tokens each process remembers: about one per user active in the last 15
 * minutes. A token past the bound is verified again, nothing more.
 */
const VERIFIED_TOKENS_MAX = 10_000;

interface VerifiedToken {
  claims: AccessTokenClaims;
  /** The second (since the epoch) from which jose would refuse the token as expired. */
  refusedFromSecond: number;
}

/** A secret's key, and the tokens it verified: an HMAC per token instead of per request. */
interface Verifier {
  key: Uint8Array;
  verified: LRUCache<string, VerifiedToken>;
}

const verifiers = new Map<string, Verifier>();
function verifierFor(secret: string): Verifier {
  let verifier = verifiers.get(secret);
  if (!verifier) {
    verifier = { key: new TextEncoder().encode(secret), verified: new LRUCache({ max: VERIFIED_TOKENS_MAX }) };
    verifiers.set(secret, verifier);
  }
  return verifier;
}

const epochSecond = () => Math.floor(Date.now() / 1000);

/**
 * The first second at which jose refuses these (verified) claims: `exp` is refused from
 * `exp + tolerance`, and a token older than its maximum age from `iat + max + tolerance + 1`.
 */
function refusedFromSecond({ exp = 0, iat = 0 }: JWTPayload): number {
  const tolerance = ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS;
  return Math.min(exp + tolerance, iat + ACCESS_TOKEN_TTL_SECONDS + tolerance + 1);
}

export async function signAccessToken(secret: string, claims: AccessTokenClaims): Promise<string> {
  return new SignJWT({ role: claims.role, sid: claims.sessionId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(verifierFor(secret).key);
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
 *
 * A token is verified once: its claims are then remembered (keyed by the whole token, so by its
 * signature too) until the second jose would call it expired, after which it is verified again
 * and refused. Only valid tokens are remembered. Revocation is not part of this: the
 * procedures check it on every request.
 */
export async function verifyAccessToken(secret: string, token: string): Promise<AccessTokenClaims> {
  const { key, verified } = verifierFor(secret);
  const known = verified.get(token);
  if (known && epochSecond() < known.refusedFromSecond) return known.claims;
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      requiredClaims: ["exp", "iat", "sub", "sid"],
      maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
      clockTolerance: ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
    });
    const parsed = claimsSchema.parse(payload);
    // Frozen: every request of the token shares it.
    const claims = Object.freeze({ userId: parsed.sub, sessionId: parsed.sid, role: parsed.role });
    verified.set(token, { claims, refusedFromSecond: refusedFromSecond(payload) });
    return claims;
  } catch (error) {
    verified.delete(token);
    throw new InvalidAccessTokenError(error instanceof errors.JWTExpired ? "expired" : "invalid");
  }
}
