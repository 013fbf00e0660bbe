import { Prisma, type DatabaseClient } from "@daycarat/db";
import type { JobPayload, notifyUserJob } from "@daycarat/jobs";

export type NotificationRequest = JobPayload<typeof notifyUserJob>;

/**
 * Writes the inbox entry of a personal notification. The (user, dedupe key) unique index
 * makes a redelivered request a no-op; a user deleted meanwhile simply gets nothing.
 * Returns whether an entry was written.
 */
export async function recordNotification(db: DatabaseClient, request: NotificationRequest): Promise<boolean> {
  try {
    const { count } = await db.notification.createMany({ data: [request], skipDuplicates: true });
    return count === 1;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") return false;
    throw error;
  }
}
