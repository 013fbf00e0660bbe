import { afterAll, describe, expect, it } from "vitest";
import { deliverPushesJob, notifyUserJob, startJobQueue } from "@daycarat/jobs";
import { findJobs, makeDueNow } from "@daycarat/jobs/testing";
import { startTestApi } from "@daycarat/server/testing";
import { captureLogs, startFakeFcm, waitFor } from "@daycarat/testkit";
import { aiResult, deliveredTo, fcmEnv, pushReadyUser, settledDeliveries } from "./push-kit.ts";
import { startTestWorker } from "./test-worker.ts";

// Personal notifications end to end: the job contract the AI analysis uses, the worker, and
// firebase-admin talking FCM HTTP v1 to a local stand-in.

const fcm = await startFakeFcm();
const api = await startTestApi();
await startTestWorker(api.databaseUrl, fcmEnv(fcm));
const jobs = await startJobQueue({ databaseUrl: api.databaseUrl, runsMaintenance: false, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));

describe("personal notifications", () => {
  it("writes the inbox entry and pushes to each of the user's devices", async () => {
    const { userId } = await pushReadyUser(api, "push-two-devices@x.dev", ["fcm:phone", "fcm:tablet"]);
    await jobs.enqueueAlone(notifyUserJob, aiResult(userId, "analysis-1"));

    const deliveries = await settledDeliveries(api.db, userId, "analysis-1");
    expect(deliveries.map((delivery) => [delivery.device.token, delivery.status, delivery.transport])).toEqual([
      ["fcm:phone", "SENT", "FCM"],
      ["fcm:tablet", "SENT", "FCM"],
    ]);
    for (const delivery of deliveries) expect(delivery.providerMessageId).toMatch(/^projects\/.+\/messages\/\d+$/);
    const [pushed] = deliveredTo(fcm, "fcm:phone");
    expect(pushed?.notification).toEqual({ title: "보석 가공이 완료되었어요", body: "AI가 추천 문장을 만들었어요." });
    const [entry] = await api.db.notification.findMany({ where: { userId } });
    expect(pushed?.data).toEqual({
      episodeId: "0193a0c4-0000-7000-8000-000000000001",
      notificationId: entry?.id,
      type: "ANALYSIS_SUCCEEDED",
    });
  });

  it("retires a device whose token FCM reports unregistered and never pushes to it again", async () => {
    const { userId } = await pushReadyUser(api, "push-unregistered@x.dev", ["fcm:gone", "fcm:alive"]);
    // The topic sync that registering enqueued would otherwise meet the dead token first and retire it.
    await waitFor(async () => ((await api.db.device.count({ where: { userId, topicSubscribedAt: null } })) === 0 ? true : undefined));
    fcm.unregistered.add("fcm:gone");
    await jobs.enqueueAlone(notifyUserJob, aiResult(userId, "unregistered-1"));

    const deliveries = await settledDeliveries(api.db, userId, "unregistered-1");
    expect(deliveries.map((delivery) => [delivery.device.token, delivery.status, delivery.errorCode])).toEqual([
      ["fcm:alive", "SENT", null],
      ["fcm:gone", "FAILED", "messaging/registration-token-not-registered"],
    ]);
    const gone = await api.db.device.findUniqueOrThrow({ where: { token: "fcm:gone" } });
    expect(gone.invalidSince).not.toBeNull();

    await jobs.enqueueAlone(notifyUserJob, aiResult(userId, "unregistered-2"));
    const next = await settledDeliveries(api.db, userId, "unregistered-2");
    expect(next.map((delivery) => delivery.device.token)).toEqual(["fcm:alive"]);
    expect(fcm.sendAttempts.filter((message) => message.token === "fcm:gone")).toHaveLength(1);
  });

  it("retries a push FCM answered with 500 INTERNAL, after a backoff, and sends it once", async () => {
    const { userId } = await pushReadyUser(api, "push-retry@x.dev", ["fcm:flaky"]);
    fcm.failNext("fcm:flaky", "INTERNAL");
    await jobs.enqueueAlone(notifyUserJob, aiResult(userId, "retry-1"));

    const pending = await waitFor(async () => {
      const [delivery] = await api.db.notificationDelivery.findMany({ where: { notification: { userId } } });
      return delivery?.attempts === 1 ? delivery : undefined;
    });
    expect(pending).toMatchObject({ status: "PENDING", errorCode: "messaging/internal-error" });
    // The first retry waits 5 s from the failure.
    expect(pending.deferredUntil?.getTime()).toBeGreaterThan(pending.updatedAt.getTime() + 4_000);

    const [delivery] = await settledDeliveries(api.db, userId, "retry-1", 20_000);
    expect(delivery).toMatchObject({ status: "SENT", attempts: 2, errorCode: null });
    expect(fcm.sendAttempts.filter((message) => message.token === "fcm:flaky")).toHaveLength(2);
    expect(deliveredTo(fcm, "fcm:flaky")).toHaveLength(1);
  });

  it("records the entry but pushes nothing when the user turned that category off", async () => {
    const { client, userId } = await pushReadyUser(api, "push-category-off@x.dev", ["fcm:quiet-category"]);
    await client.preferences.update.mutate({ aiResults: false });
    await jobs.enqueueAlone(notifyUserJob, aiResult(userId, "category-off-1"));

    const [delivery] = await settledDeliveries(api.db, userId, "category-off-1");
    expect(delivery?.status).toBe("SKIPPED");
    expect(await client.notifications.unreadCount.query()).toEqual({ count: 1 });
    expect(fcm.sendAttempts.filter((message) => message.token === "fcm:quiet-category")).toEqual([]);
  });

  it("pushes nothing to a user who has not allowed pushes", async () => {
    const { client, userId } = await pushReadyUser(api, "push-not-allowed@x.dev", ["fcm:no-consent"]);
    await client.me.update.mutate({ pushAllowed: false });
    await jobs.enqueueAlone(notifyUserJob, aiResult(userId, "no-consent-1"));

    const [delivery] = await settledDeliveries(api.db, userId, "no-consent-1");
    expect(delivery?.status).toBe("SKIPPED");
    expect(fcm.sendAttempts.filter((message) => message.token === "fcm:no-consent")).toEqual([]);
  });

  it("defers the push to the end of quiet hours in the user's time zone; the entry appears at once", async () => {
    const { client, userId } = await pushReadyUser(api, "push-quiet@x.dev", ["fcm:night"]);
    await client.me.update.mutate({ timeZone: "America/New_York" });
    // Quiet from two hours ago until two hours from now, New York time.
    const local = (offsetHours: number) =>
      new Intl.DateTimeFormat("en-GB", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
        new Date(Date.now() + offsetHours * 3_600_000),
      );
    await client.preferences.update.mutate({ quietHours: { enabled: true, start: local(-2), end: local(2) } });
    await jobs.enqueueAlone(notifyUserJob, aiResult(userId, "quiet-1"));

    await waitFor(async () => ((await client.notifications.unreadCount.query()).count === 1 ? true : undefined));
    const delivery = await waitFor(() =>
      api.db.notificationDelivery.findFirst({ where: { notification: { userId }, status: "DEFERRED" } }).then((row) => row ?? undefined),
    );
    const expectedEnd = Math.floor((Date.now() + 2 * 3_600_000) / 60_000) * 60_000;
    expect(Math.abs((delivery.deferredUntil?.getTime() ?? 0) - expectedEnd)).toBeLessThanOrEqual(60_000);

    // A delayed push.deliver job waits for that moment.
    const wakeUp = (await findJobs(api.db, deliverPushesJob, {})).find(
      (job) => job.state === "created" && job.startAfter.getTime() === delivery.deferredUntil?.getTime(),
    );
    expect(wakeUp).toBeDefined();
    expect(fcm.sendAttempts.filter((message) => message.token === "fcm:night")).toEqual([]);

    // Let the clock reach the end of quiet hours: the delivery and its job come due.
    await api.db.notificationDelivery.update({ where: { id: delivery.id }, data: { deferredUntil: new Date() } });
    await makeDueNow(api.db, wakeUp?.id ?? "");
    const [sent] = await settledDeliveries(api.db, userId, "quiet-1");
    expect(sent?.status).toBe("SENT");
    expect(deliveredTo(fcm, "fcm:night")).toHaveLength(1);
  });

  it("notifies once when the same event is delivered twice", async () => {
    const { client, userId } = await pushReadyUser(api, "push-dedupe@x.dev", ["fcm:once"]);
    await Promise.all([
      jobs.enqueueAlone(notifyUserJob, aiResult(userId, "dedupe-1")),
      jobs.enqueueAlone(notifyUserJob, aiResult(userId, "dedupe-1")),
    ]);
    await settledDeliveries(api.db, userId, "dedupe-1");
    await waitFor(async () => {
      const open = (await findJobs(api.db, notifyUserJob, { data: { dedupeKey: "dedupe-1" } })).filter((job) => job.state !== "completed");
      return open.length === 0 ? true : undefined;
    });
    expect(await client.notifications.unreadCount.query()).toEqual({ count: 1 });
    expect(await api.db.notificationDelivery.count({ where: { notification: { userId } } })).toBe(1);
    expect(deliveredTo(fcm, "fcm:once")).toHaveLength(1);
  });
});
