import { afterAll, describe, expect, it } from "vitest";
import { errorCode } from "@daycarat/client";
import type { DatabaseClient } from "@daycarat/db";
import { publishNoticeJob, sweepStuckNoticesJob } from "@daycarat/jobs";
import { findDeadLetters, findJobs, makeDueNow, startTestJobQueue, type StoredJob } from "@daycarat/jobs/testing";
import { startTestApi } from "@daycarat/server/testing";
import { captureLogs, startFakeFcm, waitFor, type FakeFcm } from "@daycarat/testkit";
import { startTestWorker } from "./test-worker.ts";

// Notices end to end: an admin writes them through the real API, the worker's handlers publish
// them, and firebase-admin sends the topic message to the local FCM stand-in. A second API and
// worker without push credentials share nothing with the first (a database of their own).

const fcm = await startFakeFcm();
const api = await startTestApi();
const worker = await startTestWorker(api.databaseUrl, { FIREBASE_SERVICE_ACCOUNT: fcm.serviceAccountJson, FCM_STAND_IN_URL: fcm.url });
const jobs = await startTestJobQueue({ databaseUrl: api.databaseUrl, runsMaintenance: false, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));

const unconfigured = await startTestApi();
await startTestWorker(unconfigured.databaseUrl);

/** A user made an admin; the role travels in the access token, so they sign in again. */
const admin = await api.signInAdmin("notice-admin@daycarat.dev");
const reader = await api.signIn("notice-reader@daycarat.dev");

/** The notice once it reached `status`. */
function noticeIn(db: DatabaseClient, id: string, status: string, timeoutMs?: number) {
  return waitFor(
    () => db.notice.findUnique({ where: { id } }).then((notice) => (notice?.status === status ? notice : undefined)),
    timeoutMs,
    `notice ${id} to be ${status}`,
  );
}

/** The notice's publish job, once it is in `state`. */
function publishJobIn(db: DatabaseClient, noticeId: string, state: StoredJob["state"]) {
  return waitFor(
    async () => {
      const [job] = await findJobs(db, publishNoticeJob, { data: { noticeId } });
      return job?.state === state ? job : undefined;
    },
    20_000,
    `notice.publish job of ${noticeId} to be ${state}`,
  );
}

/** The error code a call fails with. */
const rejection = (call: Promise<unknown>) => call.then(() => "resolved", errorCode);

/** What reached FCM's send endpoint for this notice, accepted or not. */
const sendsOf = (stand: FakeFcm, noticeId: string) => stand.sendAttempts.filter((message) => message.data?.noticeId === noticeId);
const topicMessagesOf = (stand: FakeFcm, noticeId: string) =>
  stand.delivered.filter((message) => message.topic === "notices" && message.data?.noticeId === noticeId);

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1_000).toISOString();

describe("publishing a notice", () => {
  it("sends one message to the notices topic, marks it SENT and shows it to every user, writing no per-user rows", async () => {
    const created = await admin.client.notices.create.mutate({
      title: "DayCarat 2.0 출시 🎉",
      body: "새로운 보석 가공 기능을 만나 보세요.",
      push: true,
    });
    const sent = await noticeIn(api.db, created.id, "SENT");

    expect(sent).toMatchObject({ pushTransport: "FCM", failureReason: null });
    expect(sent.providerMessageId).toMatch(/^projects\/.+\/messages\/\d+$/);
    expect(sent.sentAt).toBeInstanceOf(Date);
    // Exactly one send for the notice, and it is the topic message: no per-device sends.
    expect(sendsOf(fcm, created.id)).toHaveLength(1);
    expect(topicMessagesOf(fcm, created.id)).toEqual([
      expect.objectContaining({
        notification: { title: "DayCarat 2.0 출시 🎉", body: "새로운 보석 가공 기능을 만나 보세요." },
        data: { noticeId: created.id, type: "NOTICE" },
      }),
    ]);

    const { items } = await reader.client.notices.list.query();
    expect(items.map((item) => item.id)).toContain(created.id);
    expect(await reader.client.notices.get.query({ id: created.id })).toMatchObject({ title: "DayCarat 2.0 출시 🎉" });
    expect(await api.db.notification.count()).toBe(0);
  });

  it("publishes a notice without push as SENT and sends nothing to FCM", async () => {
    const created = await admin.client.notices.create.mutate({ title: "앱 안에서만", body: "푸시 없는 공지", push: false });
    const sent = await noticeIn(api.db, created.id, "SENT");
    expect(sent).toMatchObject({ pushTransport: null, providerMessageId: null });
    await publishJobIn(api.db, created.id, "completed");
    expect(sendsOf(fcm, created.id)).toEqual([]);
    expect((await reader.client.notices.list.query()).items.map((item) => item.id)).toContain(created.id);
  });

  it("does not publish a scheduled notice before its time, and publishes it after", async () => {
    const scheduledAt = inSeconds(6);
    const created = await admin.client.notices.create.mutate({ title: "예약 공지", body: "곧 나갑니다", push: true, scheduledAt });

    // The worker polls every second and hears new jobs at once: a run ignoring the time would
    // show well before the last two seconds.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(scheduledAt) - 2_000 - Date.now())));
    expect(await api.db.notice.findUnique({ where: { id: created.id } })).toMatchObject({ status: "SCHEDULED", sentAt: null });
    expect(sendsOf(fcm, created.id)).toEqual([]);
    expect(await rejection(reader.client.notices.get.query({ id: created.id }))).toBe("NOT_FOUND");

    const sent = await noticeIn(api.db, created.id, "SENT");
    expect(sent.sentAt?.getTime()).toBeGreaterThanOrEqual(Date.parse(scheduledAt));
    expect(topicMessagesOf(fcm, created.id)).toHaveLength(1);
  });

  it("never sends a scheduled notice that was canceled, and cancels its job", async () => {
    const created = await admin.client.notices.create.mutate({
      title: "취소될 공지",
      body: "보내지 않아요",
      push: true,
      scheduledAt: inSeconds(2),
    });
    await admin.client.notices.cancel.mutate({ id: created.id });

    // The job is canceled with the notice: it never runs.
    await publishJobIn(api.db, created.id, "cancelled");
    expect(await api.db.notice.findUnique({ where: { id: created.id } })).toMatchObject({ status: "CANCELED", sentAt: null });
    expect(sendsOf(fcm, created.id)).toEqual([]);
  });

  it("never sends a scheduled notice that was deleted, and cancels its job", async () => {
    const created = await admin.client.notices.create.mutate({
      title: "삭제될 공지",
      body: "보내지 않아요",
      push: true,
      scheduledAt: inSeconds(2),
    });
    await admin.client.notices.delete.mutate({ id: created.id });

    await publishJobIn(api.db, created.id, "cancelled");
    expect(await api.db.notice.findUnique({ where: { id: created.id } })).toBeNull();
    expect(sendsOf(fcm, created.id)).toEqual([]);
  });
});

describe("when FCM fails", () => {
  it("retries after FCM answered 500 INTERNAL, and sends the topic message once", async () => {
    fcm.failNext("*", "INTERNAL");
    const created = await admin.client.notices.create.mutate({ title: "재시도 공지", body: "한 번 실패해요", push: true });

    const job = await publishJobIn(api.db, created.id, "retry");
    expect(await api.db.notice.findUnique({ where: { id: created.id } })).toMatchObject({ status: "SENDING", sentAt: null });
    expect(sendsOf(fcm, created.id)).toHaveLength(1);
    expect(topicMessagesOf(fcm, created.id)).toEqual([]);

    // Skip the backoff (10–20 s before the first retry).
    await makeDueNow(api.db, job.id);
    const sent = await noticeIn(api.db, created.id, "SENT");
    expect(sent.providerMessageId).toMatch(/^projects\/.+\/messages\/\d+$/);
    expect(sendsOf(fcm, created.id)).toHaveLength(2);
    expect(topicMessagesOf(fcm, created.id)).toHaveLength(1);
  });

  it("marks the notice FAILED at once when FCM refuses the message for good, and parks the job", async () => {
    fcm.failNext("*", "INVALID_ARGUMENT");
    const created = await admin.client.notices.create.mutate({ title: "거절될 공지", body: "FCM이 거절해요", push: true });

    const failed = await noticeIn(api.db, created.id, "FAILED");
    expect(failed.failureReason).toMatch(/^messaging\/invalid-argument: /);
    expect(failed.sentAt).toBeNull();
    expect(sendsOf(fcm, created.id)).toHaveLength(1);
    await expect(deadLettersFor(api.db, created.id)).resolves.toEqual([
      { job: "notice.publish", payload: { noticeId: created.id }, reason: failed.failureReason },
    ]);
    expect(await rejection(reader.client.notices.get.query({ id: created.id }))).toBe("NOT_FOUND");
  });

  it("marks the notice FAILED when a retryable error happens on the job's last attempt", async () => {
    fcm.failNext("*", "INTERNAL", "INTERNAL");
    const created = await admin.client.notices.create.mutate({ title: "마지막 시도", body: "두 번 실패해요", push: true });

    const job = await publishJobIn(api.db, created.id, "retry");
    // The next attempt becomes the last one, and comes due now.
    await makeDueNow(api.db, job.id, { retryLimit: 1 });
    const failed = await noticeIn(api.db, created.id, "FAILED");
    expect(failed.failureReason).toMatch(/^messaging\/internal-error: /);
    expect(sendsOf(fcm, created.id)).toHaveLength(2);
    expect(topicMessagesOf(fcm, created.id)).toEqual([]);
    expect(await deadLettersFor(api.db, created.id)).toHaveLength(1);
  });
});

describe("a notice whose publish job was lost", () => {
  it("is marked FAILED by the sweep and reported as an error; a notice with a live job is left alone", async () => {
    // One lost while scheduled, one lost while being sent (after a retryable FCM failure).
    const scheduled = await admin.client.notices.create.mutate({
      title: "잃어버린 예약",
      body: "작업이 사라져요",
      push: true,
      scheduledAt: inSeconds(3_600),
    });
    fcm.failNext("*", "INTERNAL");
    const sending = await admin.client.notices.create.mutate({ title: "잃어버린 발송", body: "작업이 사라져요", push: true });
    const retrying = await publishJobIn(api.db, sending.id, "retry");
    await noticeIn(api.db, sending.id, "SENDING");
    const alive = await admin.client.notices.create.mutate({
      title: "살아 있는 예약",
      body: "작업이 남아 있어요",
      push: true,
      scheduledAt: inSeconds(3_600),
    });
    const [scheduledJob] = await findJobs(api.db, publishNoticeJob, { data: { noticeId: scheduled.id } });
    await jobs.deleteJob(publishNoticeJob, scheduledJob?.id ?? "");
    await jobs.deleteJob(publishNoticeJob, retrying.id);

    await jobs.enqueueAlone(sweepStuckNoticesJob, {});

    for (const lost of [scheduled, sending]) {
      expect(await noticeIn(api.db, lost.id, "FAILED")).toMatchObject({ failureReason: "PUBLISH_JOB_LOST", sentAt: null });
    }
    const report = await waitFor(
      () => Promise.resolve(worker.logs.lines().find((line) => line.msg === "failed notices whose publish job was lost")),
      10_000,
      "the sweep's error report",
    );
    expect(report).toMatchObject({ level: 50 });
    expect(report.noticeIds).toEqual(expect.arrayContaining([scheduled.id, sending.id]));
    expect(report.noticeIds).not.toContain(alive.id);
    expect(await api.db.notice.findUnique({ where: { id: alive.id } })).toMatchObject({ status: "SCHEDULED" });
    expect(topicMessagesOf(fcm, sending.id)).toEqual([]);
  });
});

describe("without push credentials", () => {
  it("publishes the notice as SENT through the log transport", async () => {
    const logAdmin = await unconfigured.signInAdmin("log-admin@daycarat.dev");
    const created = await logAdmin.client.notices.create.mutate({ title: "로그로만", body: "FCM 설정 없음", push: true });
    const sent = await noticeIn(unconfigured.db, created.id, "SENT");
    expect(sent).toMatchObject({ pushTransport: "LOG", providerMessageId: null });
    expect(sendsOf(fcm, created.id)).toEqual([]);
  });
});

/** The dead letters of a notice's publish job, as publishNotice parked them. */
async function deadLettersFor(db: DatabaseClient, noticeId: string) {
  return (await findDeadLetters(db, publishNoticeJob, { noticeId })).map((job) => job.data);
}
