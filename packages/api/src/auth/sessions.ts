import { createHash, randomBytes, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import type { PgBoss } from "pg-boss";
import type { DatabaseClient } from "@daycarat/db";
import { removeDevices } from "@daycarat/domain";

// Refresh tokens are random, stored only as their SHA-256, and rotate on every use. Each
// sign-in starts a family; presenting a token that was already rotated means it leaked, so
// the whole family is revoked and its holder, legitimate or not, must sign in again.

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

async function createSession(db: DatabaseClient, userId: string, familyId: string): Promise<string> {
  const refreshToken = randomBytes(32).toString("base64url");
  await db.session.create({
    data: {
      userId,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
    },
  });
  return refreshToken;
}

/** A new session family for a fresh sign-in; returns its refresh token. */
export function startSession(db: DatabaseClient, userId: string): Promise<string> {
  return createSession(db, userId, randomUUID());
}

const invalidRefreshToken = () => new TRPCError({ code: "UNAUTHORIZED", message: "Refresh token invalid or expired" });

/** Exchanges a refresh token for its successor; a reused token revokes its family. */
export async function rotateSession(db: DatabaseClient, refreshToken: string): Promise<{ userId: string; refreshToken: string }> {
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(refreshToken) } });
  if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) throw invalidRefreshToken();

  // Marking it rotated only if nobody did first makes two concurrent uses count as a reuse.
  const { count } = await db.session.updateMany({
    where: { id: session.id, rotatedAt: null },
    data: { rotatedAt: new Date() },
  });
  if (count === 0) {
    await revokeFamily(db, session.familyId);
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Refresh token reused: every session of this sign-in is revoked" });
  }
  return { userId: session.userId, refreshToken: await createSession(db, session.userId, session.familyId) };
}

/** Works inside a transaction too. */
export async function revokeFamily(db: Pick<DatabaseClient, "session">, familyId: string): Promise<void> {
  await db.session.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Signs out the sign-in a refresh token belongs to; unknown tokens are ignored. Ending the
 * user's last live sign-in also removes their devices: nobody is signed in to receive pushes
 * there (the topic sync takes the tokens off the notices topic).
 */
export async function endSession(db: DatabaseClient, jobs: PgBoss, refreshToken: string): Promise<void> {
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(refreshToken) } });
  if (!session) return;
  await db.$transaction(async (tx) => {
    await revokeFamily(tx, session.familyId);
    const live = await tx.session.count({
      where: { userId: session.userId, revokedAt: null, rotatedAt: null, expiresAt: { gt: new Date() } },
    });
    if (live === 0) await removeDevices(jobs, tx, { userId: session.userId });
  });
}
