import { z } from "zod";
import { AnalysisStatus, type Prisma } from "@daycarat/db";
import { newestAnalysis, soaraAnswersSelect, type SoaraField } from "@daycarat/domain";
import { id, isoDateTime, keyword } from "./common.ts";

/** The question the app shows for each SOARA answer. */
export const soaraQuestions = {
  situation: "어떤 상황이었나요? (상황)",
  objective: "어떤 목표를 세웠나요? (목표)",
  action: "목표를 위해 어떤 행동을 했나요? (행동)",
  result: "어떤 결과를 얻었나요? (결과)",
  aftermath: "그 경험이 어떤 영향을 남겼나요? (영향)",
} as const satisfies Record<SoaraField, string>;

export const gemSelect = {
  episodeId: true,
  ...soaraAnswersSelect,
  version: true,
  submittedAt: true,
  updatedAt: true,
} satisfies Prisma.GemSelect;

export const gem = z.object({
  episodeId: id,
  situation: z.string().nullable(),
  objective: z.string().nullable(),
  action: z.string().nullable(),
  result: z.string().nullable(),
  aftermath: z.string().nullable(),
  /** Grows with every change; an analysis belongs to one version. */
  version: z.number().int(),
  submittedAt: isoDateTime.nullable(),
  updatedAt: isoDateTime,
});

export function toGem(row: Prisma.GemGetPayload<{ select: typeof gemSelect }>): z.infer<typeof gem> {
  return { ...row, submittedAt: row.submittedAt?.toISOString() ?? null, updatedAt: row.updatedAt.toISOString() };
}

export const analysisSelect = {
  id: true,
  gemVersion: true,
  status: true,
  keyword: true,
  sentences: true,
  attempts: true,
  failureReason: true,
  createdAt: true,
  finishedAt: true,
} satisfies Prisma.AnalysisSelect;

export const analysis = z.object({
  id,
  gemVersion: z.number().int(),
  status: z.enum(AnalysisStatus),
  keyword: keyword.nullable(),
  /** Three cover-letter sentences once SUCCEEDED; empty before. */
  sentences: z.array(z.string()),
  attempts: z.number().int(),
  /** Why it FAILED, in words the app can show. */
  failureReason: z.string().nullable(),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
});

export function toAnalysis(row: Prisma.AnalysisGetPayload<{ select: typeof analysisSelect }>): z.infer<typeof analysis> {
  const rowKeyword = row.keyword === "UNSET" ? null : row.keyword;
  return {
    ...row,
    keyword: rowKeyword,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** The analysis that counts for a gem, as the API shows it. */
export const latestAnalysis = { ...newestAnalysis, select: analysisSelect } satisfies Prisma.AnalysisFindManyArgs;
