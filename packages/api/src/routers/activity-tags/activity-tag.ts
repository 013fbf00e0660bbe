import { z } from "zod";
import type { Prisma } from "@daycarat/db";
import { id } from "../../schemas/common.ts";

export const activityTagSelect = {
  id: true,
  name: true,
  _count: { select: { episodes: true } },
} satisfies Prisma.ActivityTagSelect;

export const activityTag = z.object({
  id,
  name: z.string(),
  /** How many of the user's episodes carry this tag. */
  episodeCount: z.number().int(),
});

export function toActivityTag(
  row: Prisma.ActivityTagGetPayload<{ select: typeof activityTagSelect }>,
): z.infer<typeof activityTag> {
  return { id: row.id, name: row.name, episodeCount: row._count.episodes };
}
