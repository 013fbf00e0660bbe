import type { DatabaseClient } from "@daycarat/db";
import { publishNoticeJob } from "@daycarat/jobs";
import { NOTICES_TOPIC, PushError, type PushTransportName } from "@daycarat/push";
import type { NotificationDependencies } from "../notifications/inbox.ts";

// A notice is broadcast without writing a row per user, on purpose:
// - The push is ONE FCM topic message: FCM fans it out to every device subscribed to
//   NOTICES_TOPIC, however many there are.
// - In-app, a notice is visible to everyone because `notices.list` is a query over SENT
//   notices, not over per-user copies.
// - A row per user would be 100k writes for one notice at 100k users, in the request's or
//   the worker's time, and would still be wrong for everyone who signs up afterwards: they
//   should see the notices too, and nobody wrote rows for them.
// Who receives the push is decided ahead of time by the worker's topic sync (`push.topic-sync`,
// see notifications/notice-topic.ts): each registered device is subscribed to the topic, and
// unsubscribed when it is removed, its token dies, or its user turns pushes or notices off;
// every device or preference change enqueues the sync, and a schedule catches up.

export type PublishOutcome =
  /** Canceled or deleted before its time, or settled by an earlier run of the job. */
  | { status: "SKIPPED" }
  | { status: "SENT"; pushTransport: PushTransportName | null; providerMessageId: string | null }
  | { status: "FAILED"; failureReason: string };

const FAILURE_REASON_MAX_CHARS = 500;

/**
 * SCHEDULED → SENDING in one statement, so a concurrent cancel either came first (nothing to
 * claim) or fails. A retry of the job finds the notice still SENDING and carries on.
 */
async function claim(db: DatabaseClient, noticeId: string) {
  const [notice] = await db.notice.updateManyAndReturn({
    where: { id: noticeId, status: { in: ["SCHEDULED", "SENDING"] } },
    data: { status: "SENDING" },
    select: { id: true, title: true, body: true, push: true },
  });
  return notice;
}

async function markSent(
  db: DatabaseClient,
  noticeId: string,
  push: { pushTransport: PushTransportName | null; providerMessageId: string | null },
): Promise<PublishOutcome> {
  await db.notice.updateMany({ where: { id: noticeId, status: "SENDING" }, data: { status: "SENT", sentAt: new Date(), ...push } });
  return { status: "SENT", ...push };
}

/** FAILED for good, and the job parked in its dead-letter queue for operators, together. */
async function markFailed(deps: NotificationDependencies, noticeId: string, error: unknown): Promise<PublishOutcome> {
  const reason = error instanceof PushError ? `${error.errorCode}: ${error.message}` : String(error);
  const failureReason = reason.slice(0, FAILURE_REASON_MAX_CHARS);
  await deps.db.$transaction(async (tx) => {
    const { count } = await tx.notice.updateMany({ where: { id: noticeId, status: "SENDING" }, data: { status: "FAILED", failureReason } });
    if (count === 1) await deps.jobs.deadLetter(tx, publishNoticeJob, { noticeId }, failureReason);
  });
  return { status: "FAILED", failureReason };
}

/**
 * Worth another attempt: FCM said it may take the message later. Anything that is not FCM's
 * answer (the database, a bug) is retried too; the last attempt records it.
 */
function isRetryable(error: unknown): boolean {
  return !(error instanceof PushError) || error.retryable;
}

/**
 * Publishes one notice for the `notice.publish` job: claims it, sends its push (if it has one)
 * as one message to the notices topic, and marks it SENT. A retryable failure is thrown so
 * that pg-boss retries the job with backoff; a permanent one, or any failure on the job's
 * final attempt, marks the notice FAILED with the reason.
 */
export async function publishNotice(
  deps: NotificationDependencies,
  noticeId: string,
  { finalAttempt }: { finalAttempt: boolean },
): Promise<PublishOutcome> {
  const notice = await claim(deps.db, noticeId);
  if (!notice) return { status: "SKIPPED" };
  if (!notice.push) return markSent(deps.db, noticeId, { pushTransport: null, providerMessageId: null });
  let providerMessageId: string | undefined;
  try {
    providerMessageId = await deps.push.sendToTopic(NOTICES_TOPIC, {
      title: notice.title,
      body: notice.body,
      data: { noticeId, type: "NOTICE" },
    });
  } catch (error) {
    if (isRetryable(error) && !finalAttempt) throw error;
    return markFailed(deps, noticeId, error);
  }
  return markSent(deps.db, noticeId, { pushTransport: deps.push.name, providerMessageId: providerMessageId ?? null });
}
