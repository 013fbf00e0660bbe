import { Prisma } from "@daycarat/db";
import { DomainError } from "@daycarat/domain";

// Another user's resource answers exactly like a missing one, so ids reveal nothing.
export { episodeNotFound } from "@daycarat/domain";
export const activityTagNotFound = () => new DomainError("NOT_FOUND", "Activity tag not found");
export const gemNotFound = () => new DomainError("NOT_FOUND", "This episode has no gem yet");
export const deviceNotFound = () => new DomainError("NOT_FOUND", "Device not found");
// Unpublished notices answer like missing ones to users.
export const noticeNotFound = () => new DomainError("NOT_FOUND", "Notice not found");

// A valid access token whose user was deleted: the caller must sign in again.
export const accountGone = () => new DomainError("UNAUTHORIZED", "This account no longer exists");

/** The Prisma error code of a failed query (P2002 unique, P2003 foreign key, P2025 no row), if it is one. */
export function prismaErrorCode(error: unknown): string | undefined {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
}
