import https from "node:https";
import { randomUUID } from "node:crypto";
import { cert, deleteApp, initializeApp } from "firebase-admin/app";
import { getMessaging, type Message } from "firebase-admin/messaging";
import { FirebaseError } from "firebase-admin";
import { SpanKind, withSpan } from "@daycarat/telemetry";
import {
  FCM_AGENT_OPTIONS,
  PushError,
  SEND_BATCH_LIMIT,
  TOPIC_BATCH_LIMIT,
  assertBatchSize,
  type PushContent,
  type PushTransport,
  type SendOutcome,
  type TopicOutcome,
} from "./transport.ts";
import { createStandInAgent, createStandInCredential } from "./stand-in-agent.ts";

export interface FcmOptions {
  serviceAccount: { project_id: string; client_email: string; private_key: string };
  /** A local stand-in that receives every Firebase call (tests, demo); unset: Google. */
  standInUrl?: string | undefined;
}

/** The token will never work again: retire its device. */
const RETIRED_TOKEN_CODES = new Set(["messaging/registration-token-not-registered", "messaging/invalid-registration-token"]);

/** FCM may take the message later: unavailable, internal errors, quotas (the SDK already retried 503s). */
const RETRYABLE_CODES = new Set([
  "messaging/server-unavailable",
  "messaging/internal-error",
  "messaging/message-rate-exceeded",
  "messaging/device-message-rate-exceeded",
  "messaging/topics-message-rate-exceeded",
  "messaging/topics-subscription-rate-exceeded",
  "messaging/unknown-error",
]);

function classify(error: unknown): { errorCode: string; retryable: boolean; tokenRetired: boolean } {
  // Errors that are not the service's answer (a socket reset, a timeout) are worth another try.
  const errorCode = error instanceof FirebaseError ? error.code : "network-error";
  return {
    errorCode,
    retryable: errorCode === "network-error" || RETRYABLE_CODES.has(errorCode),
    tokenRetired: RETIRED_TOKEN_CODES.has(errorCode),
  };
}

/** A span around one FCM call: firebase-admin's requests are not instrumented on their own. */
function fcmCall<T>(operation: string, attributes: Record<string, string | number>, call: () => Promise<T>): Promise<T> {
  return withSpan(
    `fcm ${operation}`,
    { kind: SpanKind.CLIENT, attributes: { "messaging.system": "fcm", "messaging.operation.name": operation, ...attributes } },
    call,
  );
}

function toMessage(content: PushContent): Omit<Message, "token" | "topic" | "condition"> {
  return {
    notification: { title: content.title, body: content.body },
    data: content.data,
    android: { priority: "high" },
    apns: { payload: { aps: { sound: "default" } } },
  };
}

/**
 * Firebase Cloud Messaging through firebase-admin. Sends use the SDK's HTTP/1.1 transport
 * over a keep-alive agent: the SDK documents it as the stable one (its HTTP/2 transport
 * opens its own sessions to a fixed host), and the agent is the SDK's supported way to
 * route every call, so tests against the local stand-in run the exact production path.
 */
export function createFcmTransport(options: FcmOptions): PushTransport {
  const agent = options.standInUrl ? createStandInAgent(options.standInUrl) : new https.Agent(FCM_AGENT_OPTIONS);
  const { serviceAccount, standInUrl } = options;
  const app = initializeApp(
    {
      credential: standInUrl
        ? createStandInCredential(standInUrl, serviceAccount)
        : cert(
            { projectId: serviceAccount.project_id, clientEmail: serviceAccount.client_email, privateKey: serviceAccount.private_key },
            agent,
          ),
      projectId: serviceAccount.project_id,
      httpAgent: agent,
    },
    // Each transport is its own app, so several (tests, a worker and its benchmark) coexist.
    `daycarat-${randomUUID()}`,
  );
  const messaging = getMessaging(app);
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see the comment above: the stable transport, and the only one with an agent
  messaging.enableLegacyHttpTransport();

  async function manageTopic(
    action: "subscribeToTopic" | "unsubscribeFromTopic",
    topic: string,
    tokens: readonly string[],
  ): Promise<TopicOutcome[]> {
    assertBatchSize(tokens.length, TOPIC_BATCH_LIMIT);
    if (tokens.length === 0) return [];
    const outcomes: TopicOutcome[] = tokens.map(() => ({ ok: true }));
    try {
      const response = await fcmCall(action, { "messaging.destination.name": topic, "messaging.batch.message_count": tokens.length }, () =>
        messaging[action]([...tokens], topic),
      );
      for (const { index, error } of response.errors) outcomes[index] = { ok: false, ...classify(error) };
    } catch (error) {
      return tokens.map(() => ({ ok: false, ...classify(error) }));
    }
    return outcomes;
  }

  return {
    name: "FCM",
    async send(messages) {
      assertBatchSize(messages.length, SEND_BATCH_LIMIT);
      if (messages.length === 0) return [];
      try {
        const { responses } = await fcmCall("send", { "messaging.batch.message_count": messages.length }, () =>
          messaging.sendEach(messages.map(({ token, ...content }) => ({ ...toMessage(content), token }))),
        );
        return responses.map(
          (response): SendOutcome =>
            response.success ? { status: "SENT", messageId: response.messageId } : { status: "FAILED", ...classify(response.error) },
        );
      } catch (error) {
        // The whole call failed (e.g. no access token): every message may be retried.
        return messages.map(() => ({ status: "FAILED", ...classify(error), retryable: true }));
      }
    },
    async sendToTopic(topic, content) {
      try {
        return await fcmCall("send", { "messaging.destination.name": topic }, () => messaging.send({ ...toMessage(content), topic }));
      } catch (error) {
        const { errorCode, retryable } = classify(error);
        throw new PushError(errorCode, error instanceof Error ? error.message : String(error), retryable);
      }
    },
    subscribe: (topic, tokens) => manageTopic("subscribeToTopic", topic, tokens),
    unsubscribe: (topic, tokens) => manageTopic("unsubscribeFromTopic", topic, tokens),
    async close() {
      await deleteApp(app);
      agent.destroy();
    },
  };
}
