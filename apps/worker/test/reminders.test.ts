import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { NotificationType } from "@daycarat/db";
import { sendDraftReminders, sendWeeklyReminders } from "@daycarat/domain/worker";
import { draftReminderJob, weeklyReminderJob, type JobDefinition } from "@daycarat/jobs";
import { findJobs, startTestJobQueue } from "@daycarat/jobs/testing";
import { createLogTransport } from "@daycarat/push";
import { captureLogs, createTestDatabase, startFakeFcm, waitFor } from "@daycarat/testkit";
import { deliveredTo, fcmEnv } from "./push-kit.ts";
import { startTestWorker } from "./test-worker.ts";

// Who gets the weekly and the draft reminders: the domain functions at chosen instants (time
// zones, day boundaries), and the scheduled jobs run by the worker with pushes through
// firebase-admin to the local FCM stand-in.

const DAY_MS = 24 * 60 * 60 * 1000;
/** Monday 2026-11-23, 10:00 in Korea: the weekly reminder's occurrence. */
const MONDAY_10_KST = new Date("2026-11-23T01:00:00Z");
/** Wednesday 2026-11-25, 20:00 in Korea: a draft reminder's occurrence. */
const WEDNESDAY_20_KST = new Date("2026-11-25T11:00:00Z");
const daysBefore = (at: Date, days: number) => new Date(at.getTime() - days * DAY_MS);

const fcm = await startFakeFcm();
const { db, url } = await createTestDatabase();
const { logs } = await startTestWorker(url, fcmEnv(fcm));
const jobs = await startTestJobQueue({ databaseUrl: url, runsMaintenance: false, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));
// The real schedules (Mondays 10:00, daily 20:00 in Korea) must not fire in the middle of a test.
await jobs.unschedule(weeklyReminderJob);
await jobs.unschedule(draftReminderJob);
// The domain functions called directly; their users have no devices, so nothing is pushed.
const deps = { db, jobs, push: createLogTransport(captureLogs().logger) };

// Each test sees only its own users, so "exactly these users" covers the whole database.
beforeEach(async () => {
  await db.episode.deleteMany();
  await db.user.deleteMany();
});

interface UserSetup {
  timeZone?: string;
  reminders?: boolean;
  /** Allows pushes, without quiet hours (pushes go out whenever the test runs), on a device with this token. */
  pushToken?: string;
  /** A device whose owner does not allow pushes. */
  silentDeviceToken?: string;
}

async function seedUser(nickname: string, setup: UserSetup = {}): Promise<{ id: string; tagId: string }> {
  const user = await db.user.create({
    data: {
      nickname,
      timeZone: setup.timeZone,
      pushAllowed: setup.pushToken !== undefined,
      notificationPreferences:
        setup.reminders === undefined && setup.pushToken === undefined
          ? undefined
          : { create: { reminders: setup.reminders ?? true, quietHoursEnabled: false } },
      devices: {
        create: [setup.pushToken, setup.silentDeviceToken].flatMap((token) => (token ? [{ token, platform: "ANDROID" as const }] : [])),
      },
    },
  });
  const tag = await db.activityTag.create({
    data: { userId: user.id, name: "동아리", searchJamo: "ㄷㅗㅇㅇㅏㄹㅣ", searchInitials: "ㄷㅇㄹ" },
  });
  return { id: user.id, tagId: tag.id };
}

async function seedEpisode(
  user: { id: string; tagId: string },
  {
    createdAt = new Date(),
    updatedAt = createdAt,
    state = "DRAFT" as const,
  }: { createdAt?: Date; updatedAt?: Date; state?: "DRAFT" | "FINALIZED" },
): Promise<string> {
  const episode = await db.episode.create({
    data: { userId: user.id, activityTagId: user.tagId, title: "발표 준비", date: createdAt, state, createdAt, updatedAt },
  });
  return episode.id;
}

/** A reminder the user got earlier, as if written by an earlier run. */
async function seedReminder(userId: string, type: NotificationType, createdAt: Date): Promise<void> {
  await db.notification.create({
    data: { userId, type, category: "REMINDER", title: "알림", body: "알림", dedupeKey: `earlier:${createdAt.toISOString()}`, createdAt },
  });
}

/** The nicknames of every user holding such an entry, each once per entry. */
async function reminded(where: { dedupeKey?: string; type?: NotificationType }): Promise<string[]> {
  const entries = await db.notification.findMany({ where, select: { user: { select: { nickname: true } } } });
  return entries.map((entry) => entry.user.nickname).sort();
}

/** Runs the job in the worker, as its schedule would, and waits until it completed. */
async function runInWorker(job: JobDefinition): Promise<string> {
  const jobId = await jobs.enqueueAlone(job, {});
  if (!jobId) throw new Error(`${job.name} was not enqueued`);
  await waitFor(
    async () => {
      const [found] = await findJobs(db, job, { id: jobId });
      if (found?.state === "failed") throw new Error(`${job.name} failed: ${JSON.stringify(found.output)}`);
      return found?.state === "completed" ? found : undefined;
    },
    20_000,
    `${job.name} to complete`,
  );
  return jobId;
}

const logLine = (msg: string, jobId: string) => logs.lines().find((line) => line.msg === msg && line.jobId === jobId);

describe("weekly reminder", () => {
  it("reminds exactly the users who recorded nothing since Monday 00:00 in their own time zone", async () => {
    await seedUser("seoul-nothing-yet");
    const lastSunday = await seedUser("seoul-last-sunday");
    await seedEpisode(lastSunday, { createdAt: new Date("2026-11-22T14:59:59Z") }); // Sunday 23:59:59 in Seoul
    const thisMonday = await seedUser("seoul-this-monday");
    await seedEpisode(thisMonday, { createdAt: new Date("2026-11-22T15:00:00Z") }); // Monday 00:00 in Seoul
    // In Los Angeles it is still Sunday 17:00: their week began on the 16th, and Friday is in it.
    const losAngeles = await seedUser("los-angeles-friday", { timeZone: "America/Los_Angeles" });
    await seedEpisode(losAngeles, { createdAt: new Date("2026-11-20T20:00:00Z") });
    // Monday 05:00 in Seoul, but Sunday 20:00 in UTC: last week there.
    const utc = await seedUser("utc-sunday-night", { timeZone: "UTC" });
    await seedEpisode(utc, { createdAt: new Date("2026-11-22T20:00:00Z") });
    await seedUser("reminders-off", { reminders: false });

    const tally = await sendWeeklyReminders(deps, MONDAY_10_KST);

    expect(tally.usersReminded).toBe(3);
    expect(await reminded({ dedupeKey: "weekly-reminder:2026-11-23" })).toEqual([
      "seoul-last-sunday",
      "seoul-nothing-yet",
      "utc-sunday-night",
    ]);
    expect(await db.notification.count()).toBe(3);
    const entry = await db.notification.findFirstOrThrow({ where: { user: { nickname: "seoul-nothing-yet" } } });
    expect(entry).toMatchObject({ type: "WEEKLY_REMINDER", category: "REMINDER", title: "이번 주 경험을 기록해 볼까요?", data: {} });
  });

  it("reminds once per week however often the occurrence runs, and again the next week", async () => {
    await seedUser("first");
    await seedUser("second");

    // Two runs of the same occurrence at once (a redelivered job), then a late retry.
    const concurrent = await Promise.all([sendWeeklyReminders(deps, MONDAY_10_KST), sendWeeklyReminders(deps, MONDAY_10_KST)]);
    const retried = await sendWeeklyReminders(deps, new Date(MONDAY_10_KST.getTime() + 60 * 60 * 1000));

    expect(concurrent.map((tally) => tally.usersReminded).sort()).toEqual([0, 2]);
    expect(retried.usersReminded).toBe(0);
    expect(await reminded({ dedupeKey: "weekly-reminder:2026-11-23" })).toEqual(["first", "second"]);
    expect(await db.notification.count()).toBe(2);

    await sendWeeklyReminders(deps, new Date(MONDAY_10_KST.getTime() + 7 * DAY_MS));
    expect(await reminded({ dedupeKey: "weekly-reminder:2026-11-30" })).toEqual(["first", "second"]);
  });

  it("runs as the worker's job and pushes to the devices of users who allow pushes", async () => {
    await seedUser("pushes-on", { pushToken: "weekly:on" });
    await seedUser("pushes-off", { silentDeviceToken: "weekly:off" });
    const recorded = await seedUser("recorded-today", { pushToken: "weekly:recorded" });
    await seedEpisode(recorded, {});
    await seedUser("reminders-off", { reminders: false, pushToken: "weekly:muted" });

    const jobId = await runInWorker(weeklyReminderJob);

    expect(await reminded({ type: "WEEKLY_REMINDER" })).toEqual(["pushes-off", "pushes-on"]);
    const [pushed, ...morePushes] = deliveredTo(fcm, "weekly:on");
    expect(morePushes).toEqual([]);
    expect(pushed?.notification).toEqual({ title: "이번 주 경험을 기록해 볼까요?", body: expect.any(String) as string });
    expect(pushed?.data).toMatchObject({ type: "WEEKLY_REMINDER" });
    for (const token of ["weekly:off", "weekly:recorded", "weekly:muted"]) expect(deliveredTo(fcm, token)).toEqual([]);
    const silent = await db.notificationDelivery.findFirstOrThrow({ where: { device: { token: "weekly:off" } } });
    expect(silent.status).toBe("SKIPPED");
    expect(logLine("weekly reminders sent", jobId)).toMatchObject({ usersReminded: 2, pushes: { sent: 1, failed: 0 } });
  });
});

describe("draft reminder", () => {
  it("reminds users whose drafts sat untouched for 3+ days, once in 7 days, and leads to the oldest draft", async () => {
    const stale = await seedUser("stale-drafts");
    const oldestDraftId = await seedEpisode(stale, {
      createdAt: daysBefore(WEDNESDAY_20_KST, 20),
      updatedAt: daysBefore(WEDNESDAY_20_KST, 4),
    });
    await seedEpisode(stale, { updatedAt: daysBefore(WEDNESDAY_20_KST, 3) });
    await seedEpisode(stale, { updatedAt: daysBefore(WEDNESDAY_20_KST, 1) });
    await seedEpisode(await seedUser("fresh-draft"), { updatedAt: daysBefore(WEDNESDAY_20_KST, 2) });
    await seedEpisode(await seedUser("finalized"), { updatedAt: daysBefore(WEDNESDAY_20_KST, 10), state: "FINALIZED" });
    await seedEpisode(await seedUser("reminders-off", { reminders: false }), { updatedAt: daysBefore(WEDNESDAY_20_KST, 5) });
    const remindedEarlier = async (nickname: string, type: NotificationType, remindedAt: Date) => {
      const user = await seedUser(nickname);
      await seedEpisode(user, { updatedAt: daysBefore(WEDNESDAY_20_KST, 5) });
      await seedReminder(user.id, type, remindedAt);
    };
    await remindedEarlier("reminded-3-days-ago", "DRAFT_REMINDER", daysBefore(WEDNESDAY_20_KST, 3));
    await remindedEarlier("reminded-6-days-ago", "DRAFT_REMINDER", daysBefore(WEDNESDAY_20_KST, 6));
    await remindedEarlier("reminded-8-days-ago", "DRAFT_REMINDER", daysBefore(WEDNESDAY_20_KST, 8));
    // Last Wednesday's run wrote its entry a little later in the minute than this run starts:
    // still a week ago, so the cadence stays weekly.
    await remindedEarlier("reminded-last-wednesday", "DRAFT_REMINDER", new Date(daysBefore(WEDNESDAY_20_KST, 7).getTime() + 30_000));
    await remindedEarlier("weekly-reminded-yesterday", "WEEKLY_REMINDER", daysBefore(WEDNESDAY_20_KST, 1));

    const tally = await sendDraftReminders(deps, WEDNESDAY_20_KST);
    const again = await sendDraftReminders(deps, new Date(WEDNESDAY_20_KST.getTime() + 60_000));

    expect(tally.usersReminded).toBe(4);
    expect(again.usersReminded).toBe(0);
    expect(await reminded({ dedupeKey: "draft-reminder:2026-11-25" })).toEqual([
      "reminded-8-days-ago",
      "reminded-last-wednesday",
      "stale-drafts",
      "weekly-reminded-yesterday",
    ]);
    const entry = await db.notification.findFirstOrThrow({ where: { dedupeKey: "draft-reminder:2026-11-25", userId: stale.id } });
    expect(entry).toMatchObject({ type: "DRAFT_REMINDER", category: "REMINDER", data: { episodeId: oldestDraftId } });
    expect(entry.body).toContain("2개");
  });

  it("runs as the worker's job and pushes the reminder with the draft to open", async () => {
    const user = await seedUser("draft-pushes-on", { pushToken: "drafts:on" });
    const episodeId = await seedEpisode(user, { updatedAt: daysBefore(new Date(), 4) });
    await seedEpisode(await seedUser("draft-recent", { pushToken: "drafts:recent" }), { updatedAt: daysBefore(new Date(), 1) });

    const jobId = await runInWorker(draftReminderJob);

    const entries = await db.notification.findMany({ where: { type: "DRAFT_REMINDER" } });
    expect(entries.map((entry) => [entry.userId, entry.data])).toEqual([[user.id, { episodeId }]]);
    const [pushed, ...morePushes] = deliveredTo(fcm, "drafts:on");
    expect(morePushes).toEqual([]);
    expect(pushed?.data).toEqual({ episodeId, notificationId: entries[0]?.id, type: "DRAFT_REMINDER" });
    expect(deliveredTo(fcm, "drafts:recent")).toEqual([]);
    expect(logLine("draft reminders sent", jobId)).toMatchObject({ usersReminded: 1, pushes: { sent: 1 } });
  });
});
