import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import type { AppConfig } from "@daycarat/config";
import type { DatabaseClient, Prisma } from "@daycarat/db";
import { removeDevices } from "@daycarat/domain";
import type { JobQueue } from "@daycarat/jobs";
import { revokeAccess, type RevocationList } from "./revocations.ts";

// Refresh tokens are random, stored only as their SHA-256, and rotate on every use. Each
// sign-in starts a family, which ends at its absolute limit however often it is refreshed.
// A rotated token presented again within the reuse interval (two tabs, a retried request)
// gets the same successor: the successor is derived from the token with the server's secret,
// so it need not be stored. Presented later, it means the token leaked: the whole family is
// revoked, access tokens included, and its holder, legitimate or not, must sign in again.

type AuthConfig = Pick<AppConfig["auth"], "jwtSecret" | "refreshTokens">;

export interface SessionTokens {
  refreshToken: string;
  /** The sign-in the refresh token belongs to; access tokens carry it as `sid`. */
  familyId: string;
}

interface SessionFamily {
  userId: string;
  familyId: string;
  familyExpiresAt: Date;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function successorOf(secret: string, refreshToken: string): string {
  return createHmac("sha256", secret).update(`refresh-token-successor:${refreshToken}`).digest("base64url");
}

function sessionRow(auth: AuthConfig, family: SessionFamily, refreshToken: string) {
  const idleEnd = Date.now() + auth.refreshTokens.idleMs;
  return {
    ...family,
    tokenHash: hashToken(refreshToken),
    expiresAt: new Date(Math.min(idleEnd, family.familyExpiresAt.getTime())),
  };
}

/** A new session family for a fresh sign-in. */
export async function startSession(db: DatabaseClient, auth: AuthConfig, userId: string): Promise<SessionTokens> {
  const refreshToken = randomBytes(32).toString("base64url");
  const family = { userId, familyId: randomUUID(), familyExpiresAt: new Date(Date.now() + auth.refreshTokens.maxAgeMs) };
  await db.session.create({ data: sessionRow(auth, family, refreshToken) });
  return { refreshToken, familyId: family.familyId };
}

const invalidRefreshToken = () => new TRPCError({ code: "UNAUTHORIZED", message: "Refresh token invalid or expired" });

/**
 * Exchanges a refresh token for its successor. The same token presented again within the
 * reuse interval gets the same successor; after it, the family is revoked.
 */
export async function rotateSession(
  db: DatabaseClient,
  auth: AuthConfig,
  revocations: RevocationList,
  refreshToken: string,
): Promise<SessionTokens & { userId: string }> {
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(refreshToken) } });
  const now = Date.now();
  if (!session || session.revokedAt || Math.min(session.expiresAt.getTime(), session.familyExpiresAt.getTime()) <= now) {
    throw invalidRefreshToken();
  }
  const successor = successorOf(auth.jwtSecret, refreshToken);
  const rotated = { userId: session.userId, familyId: session.familyId, refreshToken: successor };
  if (session.rotatedAt === null && (await claimRotation(db, auth, session, successor))) return rotated;

  // Rotated already: earlier, or just now by a concurrent request (whose successor is committed).
  const current = await db.session.findUnique({ where: { id: session.id }, select: { rotatedAt: true, revokedAt: true } });
  if (!current || current.revokedAt) throw invalidRefreshToken();
  if (current.rotatedAt && Date.now() - current.rotatedAt.getTime() <= auth.refreshTokens.reuseIntervalMs) return rotated;
  await db.$transaction((tx) => revokeFamily(tx, session));
  await revocations.applied(session);
  throw new TRPCError({ code: "UNAUTHORIZED", message: "Refresh token reused: every session of this sign-in is revoked" });
}

/** Marks the session rotated and stores its successor, unless another request did first. */
function claimRotation(db: DatabaseClient, auth: AuthConfig, session: SessionFamily & { id: string }, successor: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    // A concurrent claim waits here for the row lock, then finds the session rotated.
    const { count } = await tx.session.updateMany({
      where: { id: session.id, rotatedAt: null, revokedAt: null },
      data: { rotatedAt: new Date() },
    });
    if (count === 0) return false;
    const { userId, familyId, familyExpiresAt } = session;
    await tx.session.create({ data: sessionRow(auth, { userId, familyId, familyExpiresAt }, successor) });
    return true;
  });
}

/** Ends a sign-in: its refresh tokens at once, and its access tokens on every server process. */
async function revokeFamily(tx: Prisma.TransactionClient, family: Pick<SessionFamily, "userId" | "familyId">): Promise<void> {
  await tx.session.updateMany({ where: { familyId: family.familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  await revokeAccess(tx, family);
}

/**
 * Signs out the sign-in a refresh token belongs to; unknown tokens are ignored. Ending the
 * user's last live sign-in also removes their devices: nobody is signed in to receive pushes
 * there (the topic sync takes the tokens off the notices topic).
 */
export async function endSession(db: DatabaseClient, jobs: JobQueue, revocations: RevocationList, refreshToken: string): Promise<void> {
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(refreshToken) } });
  if (!session) return;
  await db.$transaction(async (tx) => {
    await revokeFamily(tx, session);
    const live = await tx.session.count({
      where: { userId: session.userId, revokedAt: null, rotatedAt: null, expiresAt: { gt: new Date() } },
    });
    if (live === 0) await removeDevices(jobs, tx, { userId: session.userId });
  });
  await revocations.applied(session);
}
