import { TRPCError } from "@trpc/server";
import { Prisma } from "@daycarat/db";

// Another user's resource answers exactly like a missing one, so ids reveal nothing.
export const episodeNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Episode not found" });
export const activityTagNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Activity tag not found" });
export const gemNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "This episode has no gem yet" });
export const deviceNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Device not found" });
// Unpublished notices answer like missing ones to users.
export const noticeNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Notice not found" });

/** The Prisma error code of a failed query (P2002 unique, P2003 foreign key, P2025 no row), if it is one. */
export function prismaErrorCode(error: unknown): string | undefined {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
}
