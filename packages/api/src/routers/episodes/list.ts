import { z } from "zod";
import { containsTextPattern, Prisma, readRows, type DatabaseClient } from "@daycarat/db";
import { calendarDate, episodeKeyword, id, toIsoDate, userText } from "../../schemas/common.ts";
import { episodeSummary, toEpisodeSummary, type EpisodeSummaryRow } from "../../schemas/episode.ts";
import { keysetCursor, pageOf, toPage } from "../../schemas/keyset-page.ts";
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

const NO_CONDITION = Prisma.empty;

/** Dated within the year, or within the month of that year. */
function periodCondition({ year, month }: ListEpisodesFilter): Prisma.Sql {
  if (year === undefined) return NO_CONDITION;
  const start = new Date(Date.UTC(year, (month ?? 1) - 1, 1));
  const end = month === undefined ? new Date(Date.UTC(year + 1, 0, 1)) : new Date(Date.UTC(year, month, 1));
  return Prisma.sql`AND e.date >= ${toIsoDate(start)}::date AND e.date < ${toIsoDate(end)}::date`;
}

/** The query in the title or in any content (the trigram indexes serve ILIKE). */
function textCondition({ query }: ListEpisodesFilter): Prisma.Sql {
  if (query === undefined) return NO_CONDITION;
  const pattern = containsTextPattern(query);
  return Prisma.sql`AND (e.title ILIKE ${pattern}
    OR EXISTS (SELECT 1 FROM episode_contents c WHERE c."episodeId" = e.id AND c.content ILIKE ${pattern}))`;
}

/** Strictly after the cursor in (date desc, id desc) order: the keyset page. */
function cursorCondition({ cursor }: ListEpisodesFilter): Prisma.Sql {
  if (cursor === undefined) return NO_CONDITION;
  return Prisma.sql`AND (e.date < ${cursor.key}::date OR (e.date = ${cursor.key}::date AND e.id < ${cursor.id}::uuid))`;
}

function equalsCondition(column: Prisma.Sql, value: string | undefined, type: Prisma.Sql): Prisma.Sql {
  return value === undefined ? NO_CONDITION : Prisma.sql`AND ${column} = ${value}::${type}`;
}

interface EpisodeSummarySqlRow extends Omit<EpisodeSummaryRow, "activityTag" | "contents" | "date"> {
  /** YYYY-MM-DD, whatever the session's DateStyle: node-postgres would make a `date` a Date at local midnight. */
  date: string;
  activityTagId: string;
  activityTagName: string;
  /** Null when the episode has no main content. */
  mainContent: string | null;
}

function toEpisodeSummaryRow({ activityTagId, activityTagName, mainContent, date, ...fields }: EpisodeSummarySqlRow): EpisodeSummaryRow {
  return {
    ...fields,
    date: new Date(`${date}T00:00:00.000Z`),
    activityTag: { id: activityTagId, name: activityTagName },
    contents: mainContent === null ? [] : [{ content: mainContent }],
  };
}

/**
 * One page in one statement: Prisma would send three (the episodes, then their tags, then
 * their main contents), three round trips per page. The tag's name and the main content are
 * subqueries by key, not joins, so that Postgres looks them up for the page's rows only and
 * never hashes a whole table (a join let it scan every user's tags). The journal's main screen:
 * read on the pool directly (readRows).
 */
function findPage(db: DatabaseClient, userId: string, input: ListEpisodesFilter): Promise<EpisodeSummarySqlRow[]> {
  return readRows<EpisodeSummarySqlRow>(
    db,
    Prisma.sql`
    SELECT e.id, e.title, to_char(e.date, 'YYYY-MM-DD') AS date, e.state::text, e.keyword::text, e."keywordChosenByUser", e."createdAt", e."updatedAt",
      e."activityTagId",
      (SELECT t.name FROM activity_tags t WHERE t.id = e."activityTagId") AS "activityTagName",
      (SELECT main.content FROM episode_contents main WHERE main."episodeId" = e.id AND main.position = 0) AS "mainContent"
    FROM episodes e
    WHERE e."userId" = ${userId}::uuid
      ${equalsCondition(Prisma.sql`e."activityTagId"`, input.activityTagId, Prisma.sql`uuid`)}
      ${equalsCondition(Prisma.sql`e.keyword`, input.keyword, Prisma.sql`"Keyword"`)}
      ${equalsCondition(Prisma.sql`e.state`, input.state, Prisma.sql`"EpisodeState"`)}
      ${periodCondition(input)}
      ${textCondition(input)}
      ${cursorCondition(input)}
    ORDER BY e.date DESC, e.id DESC
    LIMIT ${input.limit + 1}`,
  );
}

/** The caller's episodes, newest date first, filtered, one page at a time. */
export const list = replicaReadProcedure
  .meta({
    openapi: { method: "GET", path: "/episodes", summary: "Your episodes, filtered, a page at a time", tags: ["Episodes"], protect: true },
  })
  .input(listEpisodesInput)
  .output(pageOf(episodeSummary))
  .query(async ({ ctx, input }) => {
    const rows = await findPage(ctx.db, ctx.user.userId, input);
    return toPage(
      rows,
      input.limit,
      (row) => toEpisodeSummary(toEpisodeSummaryRow(row)),
      (item) => ({ key: item.date, id: item.id }),
    );
  });
