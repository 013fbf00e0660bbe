import type { AppConfig } from "@daycarat/config";
import type { LogMethods } from "@daycarat/logger";
import { createFcmTransport } from "./fcm-transport.ts";
import { createLogTransport } from "./log-transport.ts";
import type { PushTransport } from "./transport.ts";

// The transports that send: firebase-admin is loaded only by the processes that import this entry (the worker).
export { createFcmTransport, type FcmOptions } from "./fcm-transport.ts";

/** FCM when a service account is configured, otherwise the log transport (and a warning saying so). */
export function createPushTransport(config: AppConfig["firebase"], logger: LogMethods): PushTransport {
  if (!config.serviceAccount) {
    logger.warn("FIREBASE_SERVICE_ACCOUNT is not set: pushes are logged (status LOGGED), not sent");
    return createLogTransport(logger);
  }
  if (config.standInUrl) logger.warn({ standInUrl: config.standInUrl }, "FCM calls go to a local stand-in, not to Google");
  return createFcmTransport({ serviceAccount: config.serviceAccount, standInUrl: config.standInUrl });
}
