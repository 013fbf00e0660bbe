import type { RouterOutputs } from "@daycarat/client";

type EpisodeSummary = RouterOutputs["episodes"]["list"]["items"][number];
export type Keyword = Exclude<EpisodeSummary["keyword"], "UNSET">;
export type ContentType = RouterOutputs["episodes"]["get"]["contents"][number]["type"];
export type EpisodeState = EpisodeSummary["state"];

export const KEYWORD_LABELS: Record<Keyword, string> = {
  COMMUNICATION: "커뮤니케이션",
  PROBLEM_SOLVING: "문제 해결",
  CREATIVITY: "창의성",
  CHALLENGE: "도전 정신",
  EXPERTISE: "전문성",
  EXECUTION: "실행력",
};

export const CONTENT_TYPE_LABELS: Record<ContentType, string> = {
  LESSONS_LEARNED: "배운 점",
  REGRETS: "아쉬운 점",
  FREE: "자유롭게 작성",
  IMPROVEMENTS: "보완할 점",
};

export const STATE_LABELS: Record<EpisodeState, string> = { DRAFT: "작성 중", FINALIZED: "보석 완성" };

export const keywords = Object.keys(KEYWORD_LABELS) as Keyword[];
export const contentTypes = Object.keys(CONTENT_TYPE_LABELS) as ContentType[];

/** The five SOARA questions of a gem, in order. */
export const SOARA_QUESTIONS = {
  situation: "어떤 상황이었나요? (상황)",
  objective: "어떤 목표를 세웠나요? (목표)",
  action: "목표를 위해 어떤 행동을 했나요? (행동)",
  result: "어떤 결과를 얻었나요? (결과)",
  aftermath: "그 경험이 어떤 영향을 남겼나요? (영향)",
} as const;
export type SoaraField = keyof typeof SOARA_QUESTIONS;
export const soaraFields = Object.keys(SOARA_QUESTIONS) as SoaraField[];

/** "2026년 12월" */
export const monthLabel = (year: number, month: number): string => `${year}년 ${month}월`;

/** Characters as the API counts them: code points. */
export const characterCount = (text: string): number => Array.from(text).length;
