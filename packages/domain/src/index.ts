export { analysisAnswer, type AnalysisAnswer } from "./analysis/answer.ts";
export { estimatedCostUsd, priceOf, type ModelPrices } from "./analysis/cost.ts";
export { createConcurrencySlots, type ConcurrencySlots } from "./analysis/concurrency-slots.ts";
export { createAnalysisModel, type AnalysisModel, type ModelCall } from "./analysis/model.ts";
export { ANALYSIS_CONTRACT_VERSION, ANALYSIS_FUNCTION_NAME, buildAnalysisMessages } from "./analysis/prompt.ts";
export {
  episodeNotFound,
  findEpisodeGem,
  newestAnalysis,
  newestAnalysisFirst,
  soaraAnswersSelect,
  soaraFields,
  type SoaraAnswers,
  type SoaraField,
} from "./analysis/gem.ts";
export { runAnalysis, type AnalysisRunner } from "./analysis/run.ts";
export { retryAnalysis, submitGem, type AnalysisStartDependencies, type AnalysisStartRequest } from "./analysis/start.ts";
export { failLostAnalyses } from "./analysis/sweep.ts";
export { deleteExpiredData, type HousekeepingResult } from "./housekeeping.ts";
export { deliverDuePushes, type DeliveryTally } from "./notifications/deliver.ts";
export {
  NOTIFICATION_CHANNEL,
  recordNotifications,
  type NotificationDependencies,
  type NotificationRequest,
} from "./notifications/inbox.ts";
export {
  removeDevices,
  requestDeviceSubscription,
  requestNoticeTopicSync,
  subscribeDevices,
  syncNoticeTopic,
  type TopicSyncTally,
} from "./notifications/notice-topic.ts";
export { notifyUsers } from "./notifications/personal.ts";
export { endOfQuietHours, type QuietHours } from "./notifications/quiet-hours.ts";
export { sendDraftReminders } from "./reminders/drafts.ts";
export { type ReminderTally } from "./reminders/send-reminders.ts";
export { sendWeeklyReminders } from "./reminders/weekly.ts";
export {
  NOTICE_LIMITS,
  cancelNotice,
  createNotice,
  deleteNotice,
  type NoticeAuthor,
  type NoticeDraft,
} from "./notices/manage.ts";
export { publishNotice, type PublishOutcome } from "./notices/publish.ts";
export { failStuckNotices } from "./notices/sweep.ts";
export { noticeFields } from "./notices/draft.ts";
export { firstCharacters, unstorableTextReason, userText } from "./user-text.ts";
export { competencyKeyword } from "./keywords.ts";
export { DomainError, type DomainErrorCode } from "./errors.ts";
