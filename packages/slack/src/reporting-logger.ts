import type { AppConfig } from "@daycarat/config";
import { isDatabaseUnavailable } from "@daycarat/db/outage";
import { createLogger, type Logger } from "@daycarat/logger";
import { createErrorReporter, DATABASE_UNAVAILABLE, type ErrorReporter } from "./error-reports.ts";

/**
 * A service's logger whose ERROR-and-worse lines also go to Slack when SLACK_WEBHOOK_URL is
 * set. `flush` waits for reports in flight (call it last when stopping).
 */
export function createReportingLogger(
  service: string,
  config: Pick<AppConfig, "logging" | "slack">,
): { logger: Logger; flush: () => Promise<void> } {
  let reporter: ErrorReporter | undefined;
  if (config.slack.webhookUrl) {
    reporter = createErrorReporter({
      webhookUrl: config.slack.webhookUrl,
      throttleMs: config.slack.errorThrottleMs,
      // A warning, not an error: errors would be reported to the Slack that just failed.
      onPostFailure: (err) => {
        logger.warn({ err }, "could not post an error report to Slack");
      },
    });
  }
  const logger = createLogger({
    service,
    ...config.logging,
    errorSink: reporter,
    // Marked wherever it is logged (job queue, requests, jobs), so that one outage is one report per log message.
    errorFields: (error) => (isDatabaseUnavailable(error) ? DATABASE_UNAVAILABLE : undefined),
  });
  return {
    logger,
    flush: async () => {
      await reporter?.close();
    },
  };
}
