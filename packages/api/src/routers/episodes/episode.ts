import { episodeNotFound } from "../../errors.ts";
import type { z } from "zod";
import { activityTagSearchColumns, type DatabaseClient, type Prisma } from "@daycarat/db";
import { episodeDetailSelect, toEpisodeDetail, type episodeContentsInput, type episodeDetail } from "../../schemas/episode.ts";

/** Calendar dates are stored as midnight UTC, which is how `new Date` reads YYYY-MM-DD. */
export const fromIsoDate = (date: string): Date => new Date(date);

/**
 * One of the caller's episodes in full; NOT_FOUND when it is not theirs or does not exist.
 * Writers call it after their transaction: Prisma reads the relations in parallel, which a
 * transaction's single connection could only queue.
 */
export async function findEpisodeDetail(db: DatabaseClient, userId: string, episodeId: string): Promise<z.infer<typeof episodeDetail>> {
  const episode = await db.episode.findFirst({ where: { id: episodeId, userId }, select: episodeDetailSelect });
  if (!episode) throw episodeNotFound();
  return toEpisodeDetail(episode);
}

/** The caller's activity tag of that name, created on first use with its search columns. */
export async function upsertActivityTag(tx: Prisma.TransactionClient, userId: string, name: string): Promise<{ id: string }> {
  // Prisma's upsert reads then inserts, so two requests naming one new tag at once could both
  // insert; INSERT … ON CONFLICT DO NOTHING on the (userId, name) unique lets one of them win.
  await tx.activityTag.createMany({ data: { userId, name, ...activityTagSearchColumns(name) }, skipDuplicates: true });
  return tx.activityTag.findUniqueOrThrow({ where: { userId_name: { userId, name } }, select: { id: true } });
}

/** Content rows in the order given: position 0 is the main content. */
export function contentRows(contents: z.infer<typeof episodeContentsInput>) {
  return contents.map(({ type, content }, position) => ({ position, type, content }));
}
