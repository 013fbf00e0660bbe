import type { Prisma } from "@daycarat/db";

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
