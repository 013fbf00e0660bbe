import type { AppConfig } from "@daycarat/config";
import type { LogMethods } from "@daycarat/logger";
import type { FcmOptions } from "./fcm-transport.ts";
import { createLogTransport } from "./log-transport.ts";
import type { PushTransport } from "./transport.ts";

// The transports that send: only the processes that import this entry (the worker) can load firebase-admin.
export type { FcmOptions } from "./fcm-transport.ts";
export { FCM_AGENT_OPTIONS } from "./transport.ts";

/**
 * FCM, with firebase-admin (about 28 MB of modules) loaded by the first call rather than at
 * start: a worker that sends nothing never pays for it.
 */
export function createFcmTransport(options: FcmOptions): PushTransport {
  let loaded: Promise<PushTransport> | undefined;
  const transport = () => (loaded ??= import("./fcm-transport.ts").then((sdk) => sdk.createFcmTransport(options)));
  return {
    name: "FCM",
    send: async (messages) => (await transport()).send(messages),
    sendToTopic: async (topic, content) => (await transport()).sendToTopic(topic, content),
    subscribe: async (topic, tokens) => (await transport()).subscribe(topic, tokens),
    unsubscribe: async (topic, tokens) => (await transport()).unsubscribe(topic, tokens),
    close: async () => {
      await (await loaded)?.close();
    },
  };
}

/** FCM when a service account is configured, otherwise the log transport (and a warning saying so). */
export function createPushTransport(config: AppConfig["firebase"], logger: LogMethods): PushTransport {
  if (!config.serviceAccount) {
    logger.warn("FIREBASE_SERVICE_ACCOUNT is not set: pushes are logged (status LOGGED), not sent");
    return createLogTransport(logger);
  }
  if (config.standInUrl) logger.warn({ standInUrl: config.standInUrl }, "FCM calls go to a local stand-in, not to Google");
  return createFcmTransport({ serviceAccount: config.serviceAccount, standInUrl: config.standInUrl });
}
