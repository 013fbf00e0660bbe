import { z } from "zod";
import { competencyKeyword } from "../keywords.ts";

/** Stored with every result, with the prompt's version: which contract produced it. */
export const ANSWER_SCHEMA_VERSION = "answer-1";

export const SENTENCE_MIN = 200;
export const SENTENCE_MAX = 500;

/**
 * What the model must answer, sent to it as a strict function schema and checked again
 * here with the very same schema: one of the six keywords and exactly three sentences.
 */
export const analysisAnswer = z.object({
  keyword: competencyKeyword.describe("경험이 가장 잘 보여 주는 역량 하나"),
  sentences: z
    .array(
      z
        .string()
        .min(SENTENCE_MIN)
        .max(SENTENCE_MAX)
        .describe(`자기소개서에 그대로 쓸 수 있는 한국어 문단, ${SENTENCE_MIN}자 이상 ${SENTENCE_MAX}자 이하`),
    )
    .length(3)
    .describe("서로 다른 관점의 자기소개서 추천 문장 세 개"),
});

export type AnalysisAnswer = z.infer<typeof analysisAnswer>;
