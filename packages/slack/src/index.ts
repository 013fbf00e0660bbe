export { createErrorReporter, type ErrorReporter, type ErrorReporterOptions } from "./error-reports.ts";
export { createReportingLogger } from "./reporting-logger.ts";
export {
  SLACK_REQUEST_WINDOW_SECONDS,
  slackSignature,
  verifySlackRequest,
  type SlackRequestHeaders,
  type SlackVerdict,
} from "./request-verification.ts";
export { handleNoticeCommand, handleNoticeInteraction, type SlackNoticeDependencies } from "./notice-commands.ts";
