import { z } from "zod";
import { containsText, type Prisma } from "@daycarat/db";
import { calendarDate, episodeKeyword, id, userText } from "../../schemas/common.ts";
import { episodeSummary, episodeSummarySelect, toEpisodeSummary } from "../../schemas/episode.ts";
import { afterCursor, keysetCursor, newestFirst, pageOf, toPage } from "../../schemas/keyset-page.ts";
import { replicaReadProcedure } from "../../trpc.ts";

export const listEpisodesInput = z
  .object({
    year: z.number().int().min(1900).max(2999).optional(),
    /** 1–12, within `year`. */
    month: z.number().int().min(1).max(12).optional(),
    activityTagId: id.optional(),
    keyword: episodeKeyword.optional(),
    state: episodeSummary.shape.state.optional(),
    /** Text found in the title or in any content, ignoring letter case. */
    query: userText(100).optional(),
    cursor: keysetCursor(calendarDate).optional(),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .refine((input) => input.month === undefined || input.year !== undefined, {
    message: "a month needs a year",
    path: ["month"],
  })
  // Every field is optional, so `list()` with no input at all lists everything.
  .prefault({});

type ListEpisodesFilter = z.output<typeof listEpisodesInput>;

/** Dated within the year, or within the month of that year. */
function periodFilter({ year, month }: ListEpisodesFilter): Prisma.EpisodeWhereInput {
  if (year === undefined) return {};
  const start = new Date(Date.UTC(year, (month ?? 1) - 1, 1));
  const end = month === undefined ? new Date(Date.UTC(year + 1, 0, 1)) : new Date(Date.UTC(year, month, 1));
  return { date: { gte: start, lt: end } };
}

/** The query in the title or in any content (the trigram indexes serve ILIKE). */
function textFilter({ query }: ListEpisodesFilter): Prisma.EpisodeWhereInput {
  if (query === undefined) return {};
  const match = containsText(query);
  return { OR: [{ title: match }, { contents: { some: { content: match } } }] };
}

/** The caller's episodes, newest date first, filtered, one page at a time. */
export const list = replicaReadProcedure
  .meta({
    openapi: { method: "GET", path: "/episodes", summary: "Your episodes, filtered, a page at a time", tags: ["Episodes"], protect: true },
  })
  .input(listEpisodesInput)
  .output(pageOf(episodeSummary))
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db.episode.findMany({
      where: {
        userId: ctx.user.userId,
        activityTagId: input.activityTagId,
        keyword: input.keyword,
        state: input.state,
        AND: [periodFilter(input), textFilter(input), afterCursor("date", input.cursor)],
      },
      orderBy: newestFirst("date"),
      take: input.limit + 1,
      select: episodeSummarySelect,
    });
    return toPage(rows, input.limit, toEpisodeSummary, (item) => ({ key: item.date, id: item.id }));
  });
