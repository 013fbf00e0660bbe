export { analysisAnswer, type AnalysisAnswer } from "./analysis/answer.ts";
export { createConcurrencySlots, type ConcurrencySlots } from "./analysis/concurrency-slots.ts";
export { createAnalysisModel, type AnalysisModel, type ModelCall } from "./analysis/model.ts";
export { ANALYSIS_CONTRACT_VERSION, ANALYSIS_FUNCTION_NAME, buildAnalysisMessages } from "./analysis/prompt.ts";
export { failLostAnalyses, runAnalysis, type AnalysisRunner } from "./analysis/run-analysis.ts";
export { deleteExpiredData, type HousekeepingResult } from "./housekeeping.ts";
export { recordNotification, type NotificationRequest } from "./notifications/inbox.ts";
