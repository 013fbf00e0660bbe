import type { AppConfig } from "@daycarat/config";
import type { LogMethods } from "@daycarat/logger";
import { createFcmTransport } from "./fcm-transport.ts";
import { createLogTransport } from "./log-transport.ts";
import type { PushTransport } from "./transport.ts";

export { createFcmTransport, type FcmOptions } from "./fcm-transport.ts";
export { createLogTransport } from "./log-transport.ts";
export {
  NOTICES_TOPIC,
  PUSH_TRANSPORT_NAMES,
  PushError,
  SEND_BATCH_LIMIT,
  TOPIC_BATCH_LIMIT,
  TOPIC_CALL_CONCURRENCY,
  type PushContent,
  type PushMessage,
  type PushOutcome,
  type PushTransport,
  type PushTransportName,
  type SendOutcome,
  type TopicOutcome,
} from "./transport.ts";

/** FCM when a service account is configured, otherwise the log transport (and a warning saying so). */
export function createPushTransport(config: AppConfig["firebase"], logger: LogMethods): PushTransport {
  if (!config.serviceAccount) {
    logger.warn("FIREBASE_SERVICE_ACCOUNT is not set: pushes are logged (status LOGGED), not sent");
    return createLogTransport(logger);
  }
  if (config.standInUrl) logger.warn({ standInUrl: config.standInUrl }, "FCM calls go to a local stand-in, not to Google");
  return createFcmTransport({ serviceAccount: config.serviceAccount, standInUrl: config.standInUrl });
}
