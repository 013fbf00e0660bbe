// What the API (server) and Slack commands call. Worker-only work, and the SDKs it needs
// (openai, and firebase-admin through the push transports), lives behind "@daycarat/domain/worker".
export { estimatedCostUsd, priceOf, type ModelPrices } from "./analysis/cost.ts";
export { type AnalysisModel, type ModelCall } from "./analysis/model-call.ts";
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
export { retryAnalysis, submitGem, type AnalysisStartDependencies, type AnalysisStartRequest } from "./analysis/start.ts";
export {
  NOTIFICATION_CHANNEL,
  recordNotifications,
  type NotificationDependencies,
  type NotificationRequest,
} from "./notifications/inbox.ts";
export { removeDevices, requestDeviceSubscription, requestNoticeTopicSync } from "./notifications/notice-topic.ts";
export {
  NOTICE_LIMITS,
  cancelNotice,
  createNotice,
  deleteNotice,
  type NoticeAuthor,
  type NoticeDraft,
} from "./notices/manage.ts";
export { noticeFields } from "./notices/draft.ts";
export { firstCharacters, unstorableTextReason, userText } from "./user-text.ts";
export { competencyKeyword } from "./keywords.ts";
export { DomainError, type DomainErrorCode } from "./errors.ts";
