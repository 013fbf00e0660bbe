import type { AnalysisAnswer } from "./answer.ts";

// The model as the analysis sees it, without the SDK that calls it (model.ts): the server
// reaches these types through the analysis it starts, and must not load openai.

/** One message of the conversation sent to the model. */
export interface ModelMessage {
  role: "system" | "user";
  content: string;
}

/** How one model call ended, as far as retrying is concerned. */
export type ModelCall =
  | { outcome: "answered"; answer: AnalysisAnswer; model: string; promptTokens: number; completionTokens: number }
  /** The answer broke the contract (bad JSON, wrong enum, short sentences, refusal, truncation): ask again. */
  | { outcome: "invalid"; reason: string }
  /** 429: ask again once the server's retry-after has passed. */
  | { outcome: "rate-limited"; reason: string; retryAfterMs: number | undefined }
  /** 5xx, timeout or no connection: ask again after a backoff. */
  | { outcome: "unavailable"; reason: string }
  /** Any other refusal of the request (bad key, unknown model…): asking again cannot help. */
  | { outcome: "rejected"; reason: string };

export interface AnalysisModel {
  analyze(messages: ModelMessage[], signal?: AbortSignal): Promise<ModelCall>;
}
