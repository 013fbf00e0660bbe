import { episodeNotFound } from "../../errors.ts";
import type { DatabaseClient, Prisma } from "@daycarat/db";

/**
 * The gem of one of the caller's episodes, or null while the episode has none. Another
 * user's episode is NOT_FOUND, exactly like a missing one.
 */
export async function findEpisodeGem<Select extends Prisma.GemSelect>(
  db: DatabaseClient | Prisma.TransactionClient,
  userId: string,
  episodeId: string,
  select: Select,
): Promise<Prisma.GemGetPayload<{ select: Select }> | null> {
  const episode = await db.episode.findFirst({ where: { id: episodeId, userId }, select: { gem: { select } } });
  if (!episode) throw episodeNotFound();
  return episode.gem;
}
