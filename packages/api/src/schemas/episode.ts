import { z } from "zod";
import { ContentType, EpisodeState, type Prisma } from "@daycarat/db";
import { firstCharacters } from "@daycarat/domain";
import { calendarDate, episodeKeyword, id, isoDateTime, toIsoDate, userText } from "./common.ts";
import { analysis, gem, gemSelect, latestAnalysis, toAnalysis, toGem } from "./gem.ts";

export const TITLE_MAX = 100;
export const CONTENT_MAX = 50_000;
export const CONTENTS_MAX = 20;
export const SNIPPET_LENGTH = 50;
export const ACTIVITY_TAG_MAX = 50;

export const contentType = z.enum(ContentType);

/** Input: an episode's contents in order; the first is the main one. */
export const episodeContentsInput = z
  .array(z.object({ type: contentType, content: userText(CONTENT_MAX) }))
  .min(1, "write at least one content")
  .max(CONTENTS_MAX, `at most ${CONTENTS_MAX} contents`);

export const activityTagName = userText(ACTIVITY_TAG_MAX);
export const episodeTitle = userText(TITLE_MAX);

export const episodeSummarySelect = {
  id: true,
  title: true,
  date: true,
  state: true,
  keyword: true,
  keywordChosenByUser: true,
  createdAt: true,
  updatedAt: true,
  activityTag: { select: { id: true, name: true } },
  contents: { where: { position: 0 }, select: { content: true } },
} satisfies Prisma.EpisodeSelect;

export type EpisodeSummaryRow = Prisma.EpisodeGetPayload<{ select: typeof episodeSummarySelect }>;

export const episodeSummary = z.object({
  id,
  title: z.string(),
  date: calendarDate,
  state: z.enum(EpisodeState),
  keyword: episodeKeyword,
  keywordChosenByUser: z.boolean(),
  activityTag: z.object({ id, name: z.string() }),
  /** The first 50 characters of the main content, for lists. */
  snippet: z.string(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export function toEpisodeSummary(row: EpisodeSummaryRow): z.infer<typeof episodeSummary> {
  const { contents, date, createdAt, updatedAt, ...fields } = row;
  return {
    ...fields,
    date: toIsoDate(date),
    snippet: firstCharacters(contents[0]?.content ?? "", SNIPPET_LENGTH),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

export const episodeDetailSelect = {
  ...episodeSummarySelect,
  contents: { orderBy: { position: "asc" }, select: { type: true, content: true } },
  gem: { select: { ...gemSelect, analyses: latestAnalysis } },
} satisfies Prisma.EpisodeSelect;

export const episodeDetail = episodeSummary.extend({
  contents: z.array(z.object({ type: contentType, content: z.string() })),
  gem: gem.nullable(),
  /** The gem's newest analysis, if any. */
  analysis: analysis.nullable(),
});

export function toEpisodeDetail(row: Prisma.EpisodeGetPayload<{ select: typeof episodeDetailSelect }>): z.infer<typeof episodeDetail> {
  const { gem: gemRow, contents } = row;
  if (!gemRow) return { ...toEpisodeSummary(row), contents, gem: null, analysis: null };
  const { analyses, ...gemFields } = gemRow;
  const latest = analyses[0];
  return {
    ...toEpisodeSummary(row),
    contents,
    gem: toGem(gemFields),
    analysis: latest ? toAnalysis(latest) : null,
  };
}
