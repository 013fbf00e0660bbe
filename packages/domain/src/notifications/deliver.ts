import { Prisma } from "@daycarat/db";
import { deliverPushesJob } from "@daycarat/jobs";
import { SEND_BATCH_LIMIT, type SendOutcome } from "@daycarat/push";
import type { NotificationDependencies } from "./inbox.ts";

/** A push that keeps failing with retryable errors is given up after this many attempts. */
const MAX_PUSH_ATTEMPTS = 5;
const FIRST_RETRY_DELAY_MS = 5_000;
const MAX_RETRY_DELAY_MS = 10 * 60_000;

interface DueDelivery {
  id: string;
  attempts: number;
  deviceId: string;
  token: string;
  deviceRetired: boolean;
  notificationId: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, string>;
}

interface DeliveryUpdate {
  id: string;
  status: "SENT" | "LOGGED" | "FAILED" | "PENDING";
  errorCode: string | null;
  messageId: string | null;
  retryAt: string | null;
  attempted: number;
}

export interface DeliveryTally {
  sent: number;
  failed: number;
  /** Pushes that failed with a retryable error and wait for their next attempt. */
  retrying: number;
  retiredDevices: number;
}

function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
}

function toUpdate(delivery: DueDelivery, outcome: SendOutcome, now: number): DeliveryUpdate {
  const attempts = delivery.attempts + 1;
  const base = { id: delivery.id, attempted: 1, errorCode: null, messageId: null, retryAt: null };
  if (outcome.status !== "FAILED") return { ...base, status: outcome.status, messageId: outcome.messageId ?? null };
  if (outcome.retryable && attempts < MAX_PUSH_ATTEMPTS) {
    return { ...base, status: "PENDING", errorCode: outcome.errorCode, retryAt: new Date(now + retryDelayMs(attempts)).toISOString() };
  }
  return { ...base, status: "FAILED", errorCode: outcome.errorCode };
}

/**
 * Sends due pushes (PENDING, or DEFERRED whose time came), `SEND_BATCH_LIMIT` per FCM call,
 * until none is left: those of some notifications, or all. Each batch is claimed with
 * FOR UPDATE SKIP LOCKED inside the transaction that records its outcomes, so concurrent
 * workers never send the same push and a crash mid-batch leaves it pending for the next run.
 *
 * Outcomes: SENT/LOGGED with FCM's message id; a dead token retires its device (no more
 * pushes, and the topic sync unsubscribes it); retryable errors wait with exponential
 * backoff (a delayed `push.deliver` is enqueued) until MAX_PUSH_ATTEMPTS; others FAILED.
 */
export async function deliverDuePushes(
  deps: NotificationDependencies,
  scope: { notificationIds?: readonly string[] } = {},
): Promise<DeliveryTally> {
  const tally: DeliveryTally = { sent: 0, failed: 0, retrying: 0, retiredDevices: 0 };
  const inScope = scope.notificationIds ? Prisma.sql`AND d."notificationId" = ANY(${[...scope.notificationIds]}::uuid[])` : Prisma.empty;
  for (;;) {
    const claimed = await deps.db.$transaction(
      async (tx) => {
        const due = await tx.$queryRaw<DueDelivery[]>`
          SELECT d.id, d.attempts, dv.id AS "deviceId", dv.token, dv."invalidSince" IS NOT NULL AS "deviceRetired",
                 n.id AS "notificationId", n.type::text AS type, n.title, n.body, n.data
          FROM notification_deliveries d
          JOIN devices dv ON dv.id = d."deviceId"
          JOIN notifications n ON n.id = d."notificationId"
          WHERE d.status IN ('PENDING', 'DEFERRED') AND (d."deferredUntil" IS NULL OR d."deferredUntil" <= now()) ${inScope}
          ORDER BY d."createdAt"
          LIMIT ${SEND_BATCH_LIMIT}
          FOR UPDATE OF d SKIP LOCKED`;
        if (due.length === 0) return 0;

        // A device retired since its delivery was planned gets nothing.
        const live = due.filter((delivery) => !delivery.deviceRetired);
        const outcomes = await deps.push.send(
          live.map((delivery) => ({
            token: delivery.token,
            title: delivery.title,
            body: delivery.body,
            data: { ...delivery.data, notificationId: delivery.notificationId, type: delivery.type },
          })),
        );
        const now = Date.now();
        const updates = [
          ...live.map((delivery, index) =>
            toUpdate(delivery, outcomes[index] ?? { status: "FAILED", errorCode: "no-outcome", retryable: true, tokenRetired: false }, now),
          ),
          ...due
            .filter((delivery) => delivery.deviceRetired)
            .map(
              (delivery): DeliveryUpdate => ({
                id: delivery.id,
                status: "FAILED",
                errorCode: "device-retired",
                messageId: null,
                retryAt: null,
                attempted: 0,
              }),
            ),
        ];
        await tx.$executeRaw`
          UPDATE notification_deliveries AS d SET
            status = u.status::"DeliveryStatus",
            "errorCode" = u.error_code,
            "providerMessageId" = u.message_id,
            "deferredUntil" = u.retry_at,
            attempts = d.attempts + u.attempted,
            transport = ${deps.push.name},
            "sentAt" = CASE WHEN u.status IN ('SENT', 'LOGGED') THEN now() ELSE d."sentAt" END,
            "updatedAt" = now()
          FROM unnest(
            ${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.status)}::text[],
            ${updates.map((u) => u.errorCode)}::text[], ${updates.map((u) => u.messageId)}::text[],
            ${updates.map((u) => u.retryAt)}::timestamptz[], ${updates.map((u) => u.attempted)}::int[]
          ) AS u(id, status, error_code, message_id, retry_at, attempted)
          WHERE d.id = u.id`;

        const retiredDeviceIds = live
          .filter((_, index) => {
            const outcome = outcomes[index];
            return outcome?.status === "FAILED" && outcome.tokenRetired;
          })
          .map((delivery) => delivery.deviceId);
        if (retiredDeviceIds.length > 0) {
          await tx.device.updateMany({
            where: { id: { in: retiredDeviceIds }, invalidSince: null },
            data: { invalidSince: new Date(now) },
          });
        }
        const retryTimes = updates.flatMap((update) => (update.retryAt ? [Date.parse(update.retryAt)] : []));
        if (retryTimes.length > 0) {
          await deps.jobs.enqueue(tx, deliverPushesJob, {}, { startAfter: new Date(Math.min(...retryTimes)) });
        }

        tally.sent += updates.filter((update) => update.status === "SENT" || update.status === "LOGGED").length;
        tally.failed += updates.filter((update) => update.status === "FAILED").length;
        tally.retrying += retryTimes.length;
        tally.retiredDevices += new Set(retiredDeviceIds).size;
        return due.length;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    if (claimed < SEND_BATCH_LIMIT) return tally;
  }
}
