/** FCM's limits: messages per `sendEach` call, tokens per topic (un)subscription call. */
export const SEND_BATCH_LIMIT = 500;
export const TOPIC_BATCH_LIMIT = 1_000;

/**
 * Topic (un)subscription calls a process makes at once (a sync's parallel drains).
 * firebase-admin sends one HTTP request per token, 100 at a time per call, so the FCM agent
 * keeps 100 sockets for each.
 */
export const TOPIC_CALL_CONCURRENCY = 4;
const SDK_REQUESTS_PER_TOPIC_CALL = 100;

const FCM_SOCKETS = TOPIC_CALL_CONCURRENCY * SDK_REQUESTS_PER_TOPIC_CALL;

/**
 * The keep-alive agent firebase-admin's HTTP/1.1 calls go through (to Google or a stand-in).
 * It keeps every socket it may open: with Node's default of 256 idle sockets, each burst above
 * that closed the rest and the next one dialled (and, at Google, TLS-handshook) them again,
 * 2,857 connections for 20,000 pushes instead of 401 (BENCHMARKS.md).
 */
export const FCM_AGENT_OPTIONS = { keepAlive: true, maxSockets: FCM_SOCKETS, maxFreeSockets: FCM_SOCKETS };

/** Every device whose user accepts notices is on this topic; a notice is one message to it. */
export const NOTICES_TOPIC = "notices";

export interface PushContent {
  title: string;
  body: string;
  /** Where the notification leads, e.g. { episodeId }; FCM data values are strings. */
  data: Record<string, string>;
}

export interface PushMessage extends PushContent {
  token: string;
}

/** How one push to one device ended. */
export type SendOutcome =
  | { status: "SENT" | "LOGGED"; messageId: string | undefined }
  | {
      status: "FAILED";
      errorCode: string;
      /** The service may accept it later (unavailable, internal error, quota): try again with backoff. */
      retryable: boolean;
      /** The token is dead (unregistered or invalid): its device should get no more pushes. */
      tokenRetired: boolean;
    };

/**
 * How a push ended, as operators count them: sent (or logged, without FCM), unregistered (a dead
 * token), retried (a retryable failure), failed, deferred (quiet hours), skipped (turned off).
 */
export type PushOutcome = "sent" | "unregistered" | "retried" | "failed" | "deferred" | "skipped";

export type TopicOutcome = { ok: true } | { ok: false; errorCode: string; retryable: boolean; tokenRetired: boolean };

/** Raised by a topic send that failed; `retryable` says whether trying again may help. */
export class PushError extends Error {
  readonly errorCode: string;
  readonly retryable: boolean;

  constructor(errorCode: string, message: string, retryable: boolean) {
    super(message);
    this.name = "PushError";
    this.errorCode = errorCode;
    this.retryable = retryable;
  }
}

/** The transports' names, as a notice records which one broadcast it. */
export const PUSH_TRANSPORT_NAMES = ["FCM", "LOG"] as const;

export type PushTransportName = (typeof PUSH_TRANSPORT_NAMES)[number];

/**
 * Where pushes go: Firebase Cloud Messaging, or, without credentials, a log that records
 * them as LOGGED (and never claims they reached a device).
 */
export interface PushTransport {
  readonly name: PushTransportName;
  /** One outcome per message, in order; at most SEND_BATCH_LIMIT messages. */
  send(messages: readonly PushMessage[]): Promise<SendOutcome[]>;
  /** One message to every device on the topic; returns FCM's message name. Throws PushError. */
  sendToTopic(topic: string, content: PushContent): Promise<string | undefined>;
  /** One outcome per token, in order; at most TOPIC_BATCH_LIMIT tokens. */
  subscribe(topic: string, tokens: readonly string[]): Promise<TopicOutcome[]>;
  unsubscribe(topic: string, tokens: readonly string[]): Promise<TopicOutcome[]>;
  close(): Promise<void>;
}

/** A batch larger than FCM accepts is a bug in the caller, not a delivery failure. */
export function assertBatchSize(size: number, limit: number): void {
  if (size > limit) throw new RangeError(`a batch of ${size} exceeds FCM's limit of ${limit}`);
}
