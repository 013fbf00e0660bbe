// The jobs' work, for the worker: analysis runs (openai), deliveries and topic syncs, reminders,
// publishing and the sweeps. The server never imports this entry (see dependency-rules.cjs).
export { analysisAnswer, type AnalysisAnswer } from "./analysis/answer.ts";
export { createConcurrencySlots, type ConcurrencySlots } from "./analysis/concurrency-slots.ts";
export { createAnalysisModel } from "./analysis/model.ts";
export { ANALYSIS_CONTRACT_VERSION, ANALYSIS_FUNCTION_NAME, buildAnalysisMessages } from "./analysis/prompt.ts";
export { runAnalysis, type AnalysisRunner } from "./analysis/run.ts";
export { failLostAnalyses } from "./analysis/sweep.ts";
export { deleteExpiredData, type HousekeepingResult } from "./housekeeping.ts";
export { deliverDuePushes, type DeliveryTally } from "./notifications/deliver.ts";
export { subscribeDevices, syncNoticeTopic, type TopicSyncTally } from "./notifications/notice-topic.ts";
export { notifyUsers } from "./notifications/personal.ts";
export { endOfQuietHours, type QuietHours } from "./notifications/quiet-hours.ts";
export { sendDraftReminders } from "./reminders/drafts.ts";
export { type ReminderTally } from "./reminders/send-reminders.ts";
export { sendWeeklyReminders } from "./reminders/weekly.ts";
export { publishNotice, type PublishOutcome } from "./notices/publish.ts";
export { failStuckNotices } from "./notices/sweep.ts";
