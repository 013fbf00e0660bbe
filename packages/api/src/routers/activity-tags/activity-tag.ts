import { z } from "zod";
import type { Prisma } from "@daycarat/db";
import { id } from "../../schemas/common.ts";

/**
 * A tag with its episode count. The count names the user although a tag's episodes are all
 * theirs: without it Prisma counts every episode in the database, grouped by tag, and then
 * joins (37 ms instead of 0.3 ms with 200,000 episodes, see BENCHMARKS.md).
 */
export function activityTagSelect(userId: string) {
  return {
    id: true,
    name: true,
    _count: { select: { episodes: { where: { userId } } } },
  } satisfies Prisma.ActivityTagSelect;
}

export const activityTag = z.object({
  id,
  name: z.string(),
  /** How many of the user's episodes carry this tag. */
  episodeCount: z.number().int(),
});

export function toActivityTag(
  row: Prisma.ActivityTagGetPayload<{ select: ReturnType<typeof activityTagSelect> }>,
): z.infer<typeof activityTag> {
  return { id: row.id, name: row.name, episodeCount: row._count.episodes };
}
