import type { LogMethods } from "@daycarat/logger";
import { SEND_BATCH_LIMIT, TOPIC_BATCH_LIMIT, assertBatchSize, type PushTransport } from "./transport.ts";

/** Enough of a token to tell devices apart in a log without writing the credential down. */
const tokenHint = (token: string) => `…${token.slice(-6)}`;

/**
 * The transport without Firebase credentials (local development): each push becomes a log
 * line and a delivery recorded as LOGGED, so the whole flow runs and nobody mistakes it for
 * a push that reached a phone.
 */
export function createLogTransport(logger: LogMethods): PushTransport {
  return {
    name: "LOG",
    send(messages) {
      assertBatchSize(messages.length, SEND_BATCH_LIMIT);
      for (const { token, title } of messages) {
        logger.info({ transport: "LOG", device: tokenHint(token), title }, "push logged, not sent (FIREBASE_SERVICE_ACCOUNT is unset)");
      }
      return Promise.resolve(messages.map(() => ({ status: "LOGGED" as const, messageId: undefined })));
    },
    sendToTopic(topic, { title }) {
      logger.info({ transport: "LOG", topic, title }, "topic push logged, not sent (FIREBASE_SERVICE_ACCOUNT is unset)");
      return Promise.resolve(undefined);
    },
    subscribe(topic, tokens) {
      assertBatchSize(tokens.length, TOPIC_BATCH_LIMIT);
      return Promise.resolve(tokens.map(() => ({ ok: true as const })));
    },
    unsubscribe(topic, tokens) {
      assertBatchSize(tokens.length, TOPIC_BATCH_LIMIT);
      return Promise.resolve(tokens.map(() => ({ ok: true as const })));
    },
    close: () => Promise.resolve(),
  };
}
