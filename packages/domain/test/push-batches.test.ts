import { afterAll, describe, expect, it } from "vitest";
import type { DatabaseClient } from "@daycarat/db";
import { startJobQueue } from "@daycarat/jobs";
import { createLogTransport, NOTICES_TOPIC, type PushTransport } from "@daycarat/push";
import { createFcmTransport, FCM_AGENT_OPTIONS } from "@daycarat/push/fcm";
import { captureLogs, createTestDatabase, startFakeFcm } from "@daycarat/testkit";
import { recordNotifications, removeDevices } from "../src/index.ts";
import { deliverDuePushes, subscribeDevices, syncNoticeTopic } from "../src/worker.ts";

// Batching against FCM's limits, with the domain functions the worker runs, the real
// firebase-admin transport and the local FCM stand-in. The transport is wrapped only to
// watch the size of each call; every call still goes through to the stand-in.

const fcm = await startFakeFcm();
const { db, url } = await createTestDatabase();
const jobs = await startJobQueue({ databaseUrl: url, runsMaintenance: false, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));
const fcmTransport = createFcmTransport({ serviceAccount: JSON.parse(fcm.serviceAccountJson) as never, standInUrl: fcm.url });
afterAll(() => fcmTransport.close());

interface Watched extends PushTransport {
  calls: { method: "send" | "subscribe" | "unsubscribe"; size: number }[];
}

/** The transport, with a record of each call's batch size. */
function watched(transport: PushTransport): Watched {
  const calls: Watched["calls"] = [];
  return {
    ...transport,
    calls,
    send: (messages) => {
      calls.push({ method: "send", size: messages.length });
      return transport.send(messages);
    },
    subscribe: (topic, tokens) => {
      calls.push({ method: "subscribe", size: tokens.length });
      return transport.subscribe(topic, tokens);
    },
    unsubscribe: (topic, tokens) => {
      calls.push({ method: "unsubscribe", size: tokens.length });
      return transport.unsubscribe(topic, tokens);
    },
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

const sizes = (push: Watched, method: Watched["calls"][number]["method"]) =>
  push.calls.filter((call) => call.method === method).map((call) => call.size);

/** Users who allow pushes, never quiet, with `devicesEach` devices each; returns their ids. */
async function seedUsers(database: DatabaseClient, prefix: string, count: number, devicesEach: number): Promise<string[]> {
  const users = await database.user.createManyAndReturn({
    data: Array.from({ length: count }, (_, index) => ({ nickname: `${prefix}${index}`, pushAllowed: true })),
    select: { id: true },
  });
  const ids = users.map((user) => user.id);
  await database.notificationPreference.createMany({ data: ids.map((userId) => ({ userId, quietHoursEnabled: false })) });
  await database.device.createMany({
    data: ids.flatMap((userId, index) =>
      Array.from({ length: devicesEach }, (_, device) => ({ userId, token: `${prefix}:${index}:${device}`, platform: "ANDROID" as const })),
    ),
  });
  return ids;
}

const reminder = (userId: string, dedupeKey: string) => ({
  userId,
  type: "WEEKLY_REMINDER" as const,
  category: "REMINDER" as const,
  title: "이번 주 경험을 기록해 볼까요?",
  body: "한 줄이라도 좋아요.",
  data: {},
  dedupeKey,
});

describe("push batches", () => {
  it("sends 1,200 due pushes in calls of at most 500, on sockets it keeps between calls", async () => {
    const userIds = await seedUsers(db, "batch", 600, 2);
    const push = watched(fcmTransport);
    const connectionsBefore = fcm.connections();
    const created = await recordNotifications(
      { db, jobs, push },
      userIds.map((userId) => reminder(userId, "batch-week")),
    );
    expect(created).toHaveLength(600);

    const tally = await deliverDuePushes({ db, jobs, push });
    expect(sizes(push, "send")).toEqual([500, 500, 200]);
    // The agent's sockets, and one for the access token: none closed after a call and dialled again for the next.
    expect(fcm.connections() - connectionsBefore).toBeLessThanOrEqual(FCM_AGENT_OPTIONS.maxSockets + 1);
    expect(tally).toEqual({ sent: 1200, failed: 0, retrying: 0, retiredDevices: 0 });
    expect(new Set(fcm.delivered.filter((message) => message.token?.startsWith("batch:")).map((message) => message.token)).size).toBe(1200);
    expect(await db.notificationDelivery.count({ where: { status: "SENT" } })).toBe(1200);
  });

  it("subscribes devices to the notices topic 1,000 per call and unsubscribes removed and opted-out ones", async () => {
    const userIds = await seedUsers(db, "topic", 1250, 2);
    fcm.unregistered.add("topic:7:0");
    const push = watched(fcmTransport);

    const joined = await syncNoticeTopic({ db, jobs, push });
    // The earlier test's 1,200 devices need the topic too; parallel drains split them as their claims meet.
    expect(Math.max(...sizes(push, "subscribe"))).toBe(1000);
    expect(sum(sizes(push, "subscribe"))).toBe(3700);
    expect(joined).toEqual({ subscribed: 3699, unsubscribed: 0, retiredDevices: 1, retrying: 0 });
    const members = fcm.topics.get(NOTICES_TOPIC) ?? new Set();
    expect(members.size).toBe(3699);
    expect(members.has("topic:7:0")).toBe(false);
    expect((await db.device.findUniqueOrThrow({ where: { token: "topic:7:0" } })).invalidSince).not.toBeNull();

    // 501 users' devices go (1,001 tokens on the topic: the retired one never joined), one user
    // turns notices off, another withdraws push consent (2 devices each).
    const [optOut, noConsent, ...rest] = userIds;
    await db.$transaction((tx) => removeDevices(jobs, tx, { userId: { in: rest.slice(0, 501) } }));
    await db.notificationPreference.update({ where: { userId: optOut }, data: { notices: false } });
    await db.user.update({ where: { id: noConsent }, data: { pushAllowed: false } });
    push.calls.length = 0;

    const left = await syncNoticeTopic({ db, jobs, push });
    expect(sizes(push, "unsubscribe")).toEqual([1000, 1, 4]);
    expect(sizes(push, "subscribe")).toEqual([]);
    expect(left).toMatchObject({ unsubscribed: 1005, subscribed: 0, retrying: 0 });
    expect(members.size).toBe(3699 - 1005);
    expect(members.has("topic:0:0")).toBe(false);
    expect(await db.topicUnsubscription.count()).toBe(0);

    // Nothing left to do: a second pass makes no calls.
    push.calls.length = 0;
    await syncNoticeTopic({ db, jobs, push });
    expect(push.calls).toEqual([]);
  });

  it("subscribes every unsubscribed device exactly once when two workers sync at once, retrying failed calls", async () => {
    await seedUsers(db, "parallel", 1500, 2);
    fcm.unregistered.add("parallel:3:1");
    fcm.failNextTopicRequest("parallel:4:0", "INTERNAL");
    fcm.setLatencyMs(5);
    const requestsBefore = fcm.topicRequests.length;
    const push = watched(fcmTransport);

    // Two workers' syncs, each with its parallel drains, over the same 3,000 devices; then the
    // job's retry. The failed call's device stays pending: the other sync may take it up at once.
    const syncs = await Promise.all([syncNoticeTopic({ db, jobs, push }), syncNoticeTopic({ db, jobs, push })]);
    fcm.setLatencyMs(0);
    expect(syncs.reduce((total, tally) => total + tally.retrying, 0)).toBe(1);
    syncs.push(await syncNoticeTopic({ db, jobs, push }));
    expect(syncs.reduce((total, tally) => total + tally.subscribed, 0)).toBe(2999);
    expect(syncs.reduce((total, tally) => total + tally.retiredDevices, 0)).toBe(1);
    expect(Math.max(...sizes(push, "subscribe"))).toBeLessThanOrEqual(1000);

    // One request per device, and a second only for the one whose first request failed.
    const requests = new Map<string, number>();
    for (const { token } of fcm.topicRequests.slice(requestsBefore)) requests.set(token, (requests.get(token) ?? 0) + 1);
    expect(requests.size).toBe(3000);
    expect([...requests].filter(([, count]) => count > 1)).toEqual([["parallel:4:0", 2]]);
    expect((await db.device.findUniqueOrThrow({ where: { token: "parallel:3:1" } })).invalidSince).not.toBeNull();
    expect(fcm.topics.get(NOTICES_TOPIC)?.has("parallel:4:0")).toBe(true);
    expect(await db.device.count({ where: { token: { startsWith: "parallel:" }, topicSubscribedAt: null, invalidSince: null } })).toBe(0);
  });

  it("subscribes the devices it is given and no other, once", async () => {
    await seedUsers(db, "single", 3, 1);
    const devices = await db.device.findMany({ where: { token: { startsWith: "single:" } }, orderBy: { token: "asc" } });
    const chosen = devices.slice(0, 2).map((device) => device.id);
    const push = watched(fcmTransport);

    expect(await subscribeDevices({ db, jobs, push }, chosen)).toEqual({ subscribed: 2, unsubscribed: 0, retiredDevices: 0, retrying: 0 });
    expect(await subscribeDevices({ db, jobs, push }, chosen)).toEqual({ subscribed: 0, unsubscribed: 0, retiredDevices: 0, retrying: 0 });
    expect(sizes(push, "subscribe")).toEqual([2]);
    const members = fcm.topics.get(NOTICES_TOPIC) ?? new Set();
    expect(members.has("single:0:0") && members.has("single:1:0")).toBe(true);
    expect(members.has("single:2:0")).toBe(false);
  });

  it("records pushes as LOGGED, never as sent, without FCM credentials", async () => {
    const { db: logDb, url: logUrl } = await createTestDatabase();
    const logJobs = await startJobQueue({ databaseUrl: logUrl, runsMaintenance: false, logger: captureLogs().logger });
    afterAll(() => logJobs.stop({ graceful: false }));
    const logs = captureLogs();
    const [userId = ""] = await seedUsers(logDb, "log", 1, 1);
    const deps = { db: logDb, jobs: logJobs, push: createLogTransport(logs.logger) };

    await recordNotifications(deps, [reminder(userId, "log-week")]);
    expect(await deliverDuePushes(deps)).toMatchObject({ sent: 1, failed: 0 });
    const [delivery] = await logDb.notificationDelivery.findMany();
    expect(delivery).toMatchObject({ status: "LOGGED", transport: "LOG", providerMessageId: null });
    expect(logs.lines()).toContainEqual(expect.objectContaining({ transport: "LOG", msg: expect.stringContaining("not sent") as unknown }));
    expect(logs.text()).not.toContain("log:0:0");
    // Without FCM there is no topic: devices stay marked unsubscribed for a worker with credentials.
    expect(await syncNoticeTopic(deps)).toMatchObject({ subscribed: 0 });
    expect(await logDb.device.count({ where: { topicSubscribedAt: { not: null } } })).toBe(0);
  });
});
