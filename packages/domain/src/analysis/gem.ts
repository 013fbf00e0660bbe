import type { DatabaseClient, Prisma } from "@daycarat/db";
import { DomainError } from "../errors.ts";

/** The five SOARA answers of a gem, in the order the app asks for them. */
export const soaraFields = ["situation", "objective", "action", "result", "aftermath"] as const;

export type SoaraField = (typeof soaraFields)[number];

export type SoaraAnswers = Record<SoaraField, string | null>;

/** Selects a gem's five answers. */
export const soaraAnswersSelect = Object.fromEntries(soaraFields.map((field) => [field, true])) as Record<SoaraField, true>;

/** Newest analysis first; ids are time-ordered (UUIDv7) and break ties. */
export const newestAnalysisFirst = [{ createdAt: "desc" }, { id: "desc" }] satisfies Prisma.AnalysisOrderByWithRelationInput[];

/** The analysis that counts for a gem: only its newest one, whatever came before. */
export const newestAnalysis = { orderBy: newestAnalysisFirst, take: 1 } as const satisfies Prisma.AnalysisFindManyArgs;

// Another user's episode answers exactly like a missing one, so ids reveal nothing.
export const episodeNotFound = () => new DomainError("NOT_FOUND", "Episode not found");

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
