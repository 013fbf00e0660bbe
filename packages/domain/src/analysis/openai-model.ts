import OpenAI from "openai";
import { zodFunction } from "openai/helpers/zod";
import { analysisAnswer } from "./answer.ts";
import type { AnalysisModel, ModelCall } from "./model-call.ts";
import { ANALYSIS_FUNCTION_NAME } from "./prompt.ts";

export interface ModelSettings {
  apiKey: string;
  baseUrl: string | undefined;
  model: string;
  timeoutMs: number;
}

const recordAnalysis = zodFunction({
  name: ANALYSIS_FUNCTION_NAME,
  description: "분석 결과(역량 키워드와 자기소개서 추천 문장 세 개)를 기록한다",
  parameters: analysisAnswer,
});

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const milliseconds = Number(headers?.get("retry-after-ms"));
  if (milliseconds > 0) return milliseconds;
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function classifyError(error: unknown): ModelCall {
  if (error instanceof OpenAI.RateLimitError) {
    return { outcome: "rate-limited", reason: "AI_RATE_LIMITED", retryAfterMs: retryAfterMs(error.headers) };
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { outcome: "unavailable", reason: "AI_TIMEOUT" };
  if (error instanceof OpenAI.APIConnectionError) return { outcome: "unavailable", reason: "AI_UNREACHABLE" };
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return error.status >= 500
      ? { outcome: "unavailable", reason: `AI_SERVER_ERROR_${error.status}` }
      : { outcome: "rejected", reason: `AI_REQUEST_REJECTED_${error.status}` };
  }
  throw error;
}

function readAnswer(completion: OpenAI.ChatCompletion): ModelCall {
  const choice = completion.choices[0];
  if (!choice) return { outcome: "invalid", reason: "AI_EMPTY_ANSWER" };
  if (choice.finish_reason === "length") return { outcome: "invalid", reason: "AI_ANSWER_TRUNCATED" };
  if (choice.message.refusal) return { outcome: "invalid", reason: "AI_REFUSED" };
  const call = choice.message.tool_calls?.find(
    (toolCall) => toolCall.type === "function" && toolCall.function.name === ANALYSIS_FUNCTION_NAME,
  );
  if (call?.type !== "function") return { outcome: "invalid", reason: "AI_NO_FUNCTION_CALL" };
  let json: unknown;
  try {
    json = JSON.parse(call.function.arguments);
  } catch {
    return { outcome: "invalid", reason: "AI_MALFORMED_JSON" };
  }
  const answer = analysisAnswer.safeParse(json);
  if (!answer.success) return { outcome: "invalid", reason: "AI_ANSWER_OFF_SCHEMA" };
  return {
    outcome: "answered",
    answer: answer.data,
    model: completion.model,
    promptTokens: completion.usage?.prompt_tokens ?? 0,
    completionTokens: completion.usage?.completion_tokens ?? 0,
  };
}

/**
 * The model behind the official SDK (loaded on first use by model.ts), pointed at OpenAI or any compatible server. The SDK
 * never retries on its own (maxRetries 0): the analysis decides, call by call, so that its
 * retries and the SDK's cannot multiply.
 */
export function createOpenAiModel(settings: ModelSettings): AnalysisModel {
  const client = new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl,
    timeout: settings.timeoutMs,
    maxRetries: 0,
  });
  return {
    async analyze(messages, signal) {
      try {
        const completion = await client.chat.completions.create(
          {
            model: settings.model,
            messages,
            tools: [recordAnalysis],
            tool_choice: { type: "function", function: { name: ANALYSIS_FUNCTION_NAME } },
            parallel_tool_calls: false,
          },
          { signal },
        );
        return readAnswer(completion);
      } catch (error) {
        return classifyError(error);
      }
    },
  };
}
