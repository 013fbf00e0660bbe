import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, inject, it } from "vitest";
import { REVOCATION_CHANNEL } from "@daycarat/api";
import { activityTagSearchColumns, listenerApplicationName, withConnection } from "@daycarat/db";
import { createDayCaratClient, errorCode, memoryTokenStore, type DayCaratClient, type RouterInputs } from "@daycarat/client";
import { expectFieldRefused, refusalCode, startServerProcess, waitFor } from "@daycarat/testkit";
import { startTestApi, type SignedInUser } from "../test-server.ts";
import { startInboxWriter, subscribeToInbox } from "./live-kit.ts";

const SERVER_MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

// This server re-reads the revocations only hourly: here it learns of them by notification.
const api = await startTestApi({ ACCESS_REVOCATION_RECHECK_SECONDS: "3600" });
// Another server process on the same database: it hears of revocations only through Postgres,
// and re-reads them every second (in case it missed a notification).
const elsewhere = await startServerProcess(SERVER_MAIN, {
  DATABASE_URL: api.databaseUrl,
  NODE_ENV: "test",
  ACCESS_REVOCATION_RECHECK_SECONDS: "1",
});
afterAll(() => elsewhere.stop());

/** A client of that server holding only the user's current access token (no refresh token to recover with). */
async function accessOnly(user: SignedInUser, url = api.url): Promise<DayCaratClient> {
  const accessToken = (await user.tokens.get())?.accessToken ?? "";
  return createDayCaratClient({ url, tokens: memoryTokenStore({ accessToken, refreshToken: "" }) });
}

/** The calls that failed with a foreign-key error (500) for a user who no longer exists. */
function callsOfTheGone(client: DayCaratClient): [string, () => Promise<unknown>][] {
  return [
    ["devices.register", () => client.devices.register.mutate({ token: "fcm:after-deletion", platform: "IOS" })],
    [
      "episodes.create",
      () =>
        client.episodes.create.mutate({
          title: "제목",
          date: "2026-11-02",
          activityTag: "태그",
          contents: [{ type: "FREE", content: "내용" }],
        }),
    ],
    ["preferences.get", () => client.preferences.get.query()],
    ["preferences.update", () => client.preferences.update.mutate({ reminders: false })],
    ["me.get", () => client.me.get.query()],
  ];
}

const write = await startInboxWriter(api.db, api.databaseUrl);

const errorLines = () => api.logs.lines().filter((line) => typeof line.level === "number" && line.level >= 50);

/** Gives the user `count` episodes with submitted gems, straight in the database. */
async function giveGems(userId: string, count: number) {
  const tag = await api.db.activityTag.create({ data: { userId, name: "큐시즘 29기", ...activityTagSearchColumns("큐시즘 29기") } });
  for (let index = 0; index < count; index++) {
    await api.db.episode.create({
      data: {
        userId,
        activityTagId: tag.id,
        title: `경험 ${index}`,
        date: new Date("2026-11-01"),
        state: "FINALIZED",
        contents: { create: { position: 0, type: "FREE", content: "내용" } },
        gem: { create: { userId, situation: "s", objective: "o", action: "a", result: "r", aftermath: "f", submittedAt: new Date() } },
      },
    });
  }
}

describe("me.get", () => {
  it("returns the profile with the collector level its gems earned", async () => {
    const levels: [number, string][] = [
      [0, "ROOKIE"],
      [10, "ROOKIE"],
      [11, "BEGINNER"],
      [20, "BEGINNER"],
      [21, "PRO"],
    ];
    for (const [gems, level] of levels) {
      const { client, userId } = await api.signIn(`level-${gems}@daycarat.dev`);
      await giveGems(userId, gems);
      expect(await client.me.get.query()).toMatchObject({ id: userId, gemCount: gems, collectorLevel: level });
    }
  });

  it("does not count draft gems", async () => {
    const { client, userId } = await api.signIn("drafts@daycarat.dev");
    await giveGems(userId, 3);
    await api.db.gem.updateMany({ where: { userId }, data: { submittedAt: null } });
    expect(await client.me.get.query()).toMatchObject({ gemCount: 0, collectorLevel: "ROOKIE" });
  });
});

describe("me.update", () => {
  it("changes only the fields given, keeping Korean and emoji exactly", async () => {
    const { client } = await api.signIn("profile@daycarat.dev", "처음 이름");
    const changes = {
      nickname: "보석🔷지우",
      jobTitle: "서비스 기획자",
      strengths: ["문제 정의", "데이터 분석 📊"],
      timeZone: "America/Los_Angeles",
      pushAllowed: true,
      onboarded: true as const,
    };
    expect(await client.me.update.mutate(changes)).toMatchObject(changes);
    const partly = await client.me.update.mutate({ jobTitle: null });
    expect(partly).toMatchObject({ nickname: "보석🔷지우", jobTitle: null, timeZone: "America/Los_Angeles" });
    expect(await client.me.get.query()).toEqual(partly);
  });

  it("rejects bad fields by name and changes nothing", async () => {
    const { client, userId } = await api.signIn("invalid@daycarat.dev", "그대로");
    const attempts: [RouterInputs["me"]["update"], string][] = [
      [{ nickname: "가".repeat(31) }, "nickname"],
      [{ nickname: "   " }, "nickname"],
      [{ timeZone: "Asia/Busan" }, "timeZone"],
      [{ strengths: ["끈기", "끈기"] }, "strengths"],
      [{ strengths: Array.from({ length: 11 }, (_, index) => `강점${index}`) }, "strengths"],
      [{ profileImageUrl: "javascript:alert(1)" }, "profileImageUrl"],
    ];
    for (const [input, field] of attempts) {
      await expectFieldRefused(client.me.update.mutate(input), field);
    }
    expect(errorCode(await client.me.update.mutate({}).catch((caught: unknown) => caught))).toBe("BAD_REQUEST");
    expect(await api.db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({ nickname: "그대로", timeZone: "Asia/Seoul" });
  });
});

describe("me.delete", () => {
  it("erases the account and everything in it, and nobody else's", async () => {
    const leaving = await api.signIn("leaving@daycarat.dev");
    const staying = await api.signIn("staying@daycarat.dev");
    for (const { userId } of [leaving, staying]) {
      await giveGems(userId, 2);
      await api.db.device.create({ data: { userId, token: `fcm-${userId}`, platform: "ANDROID" } });
      await api.db.notification.create({
        data: { userId, type: "WEEKLY_REMINDER", category: "REMINDER", title: "t", body: "b", dedupeKey: "k" },
      });
    }
    const refreshToken = (await leaving.tokens.get())?.refreshToken ?? "";

    expect(await leaving.client.me.delete.mutate()).toEqual({ deleted: true });
    expect(await leaving.tokens.get()).toBeNull();

    const owned = { where: { userId: leaving.userId } };
    const remaining = await Promise.all([
      api.db.user.count({ where: { id: leaving.userId } }),
      api.db.identity.count(owned),
      api.db.session.count(owned),
      api.db.activityTag.count(owned),
      api.db.episode.count(owned),
      api.db.gem.count(owned),
      api.db.device.count(owned),
      api.db.notification.count(owned),
    ]);
    expect(remaining).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(await api.db.episode.count({ where: { userId: staying.userId } })).toBe(2);
    expect(await api.db.device.count({ where: { userId: staying.userId } })).toBe(1);
    expect(
      errorCode(
        await api
          .anonymous()
          .auth.refresh.mutate({ refreshToken })
          .catch((caught: unknown) => caught),
      ),
    ).toBe("UNAUTHORIZED");
  });
});

describe("access tokens of a deleted account", () => {
  it("stop at once, on this server and on another server process", async () => {
    const leaving = await api.signIn("gone-at-once@daycarat.dev");
    const here = await accessOnly(leaving);
    const there = await accessOnly(leaving, elsewhere.url);
    expect((await there.me.get.query()).id).toBe(leaving.userId);

    await leaving.client.me.delete.mutate();
    expect(await refusalCode(there.me.get.query())).toBe("UNAUTHORIZED");
    for (const [name, call] of [...callsOfTheGone(here), ...callsOfTheGone(there)]) {
      expect(await refusalCode(call()), name).toBe("UNAUTHORIZED");
    }
    expect(errorLines()).toEqual([]);
  });

  it("are UNAUTHORIZED, not a fault, when the user row vanished without a revocation (an operator deleted it)", async () => {
    const vanished = await api.signIn("vanished@daycarat.dev");
    const client = await accessOnly(vanished);
    await api.db.user.delete({ where: { id: vanished.userId } });
    for (const [name, call] of callsOfTheGone(client)) {
      expect(await refusalCode(call()), name).toBe("UNAUTHORIZED");
    }
    expect(errorLines()).toEqual([]);
  });
});

describe("access tokens of an ended sign-in", () => {
  it("stop at once on every server after sign-out, and the user's other sign-ins go on", async () => {
    const phone = await api.signIn("signed-out@daycarat.dev");
    const laptop = await api.signIn("signed-out@daycarat.dev");
    const phoneThere = await accessOnly(phone, elsewhere.url);
    const laptopThere = await accessOnly(laptop, elsewhere.url);
    expect((await phoneThere.me.get.query()).id).toBe(phone.userId);

    await phone.client.auth.signOut.mutate({ refreshToken: (await phone.tokens.get())?.refreshToken ?? "" });
    expect(await refusalCode(phoneThere.me.get.query())).toBe("UNAUTHORIZED");
    expect((await laptopThere.me.get.query()).id).toBe(laptop.userId);
    expect((await laptop.client.me.get.query()).id).toBe(laptop.userId);
  });

  it("stop at once on every server when a reuse of the sign-in's refresh token is detected", async () => {
    const user = await api.signIn("reused@daycarat.dev");
    const stolen = (await user.tokens.get())?.refreshToken ?? "";
    const anonymousThere = createDayCaratClient({ url: elsewhere.url, tokens: memoryTokenStore() });
    const rotated = await anonymousThere.auth.refresh.mutate({ refreshToken: stolen });
    const here = createDayCaratClient({ url: api.url, tokens: memoryTokenStore({ accessToken: rotated.accessToken, refreshToken: "" }) });
    expect((await here.me.get.query()).id).toBe(user.userId);

    // Replayed after the reuse interval, on the other server.
    const tokenHash = createHash("sha256").update(stolen).digest("hex");
    await api.db.session.update({ where: { tokenHash }, data: { rotatedAt: new Date(Date.now() - 60_000) } });
    expect(await refusalCode(anonymousThere.auth.refresh.mutate({ refreshToken: stolen }))).toBe("UNAUTHORIZED");
    expect(await refusalCode(here.me.get.query())).toBe("UNAUTHORIZED");
  });

  it("stop on a server that missed the notification, at its next re-read", async () => {
    const user = await api.signIn("missed-notification@daycarat.dev");
    const there = await accessOnly(user, elsewhere.url);
    expect((await there.me.get.query()).id).toBe(user.userId);
    const { familyId } = await api.db.session.findFirstOrThrow({ where: { userId: user.userId } });
    // Written without its announcement, as if the notification had been lost.
    await api.db.accessRevocation.create({ data: { userId: user.userId, familyId, expiresAt: new Date(Date.now() + 16 * 60_000) } });
    const refused = () =>
      there.me.get.query().then(
        () => undefined,
        (error: unknown) => errorCode(error),
      );
    expect(await waitFor(refused, 10_000, "the other server to re-read the revocations")).toBe("UNAUTHORIZED");
  });

  it("stop on a server whose LISTEN connection dropped while they were revoked, once it listens again", async () => {
    const user = await api.signIn("listen-dropped@daycarat.dev");
    const client = await accessOnly(user);
    expect((await client.me.get.query()).id).toBe(user.userId);
    const { familyId } = await api.db.session.findFirstOrThrow({ where: { userId: user.userId } });
    const database = new URL(api.databaseUrl).pathname.slice(1);

    await withConnection(api.databaseUrl, async (writer) => {
      await withConnection(inject("adminDatabaseUrl"), async (admin) => {
        // No new connection may reach the database until the revocation is committed, so no
        // listener can be back in time to hear its announcement.
        const allowConnections = (allowed: boolean) =>
          admin.query(`ALTER DATABASE ${admin.escapeIdentifier(database)} ALLOW_CONNECTIONS ${allowed}`);
        await allowConnections(false);
        try {
          const { rowCount } = await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
            [database, listenerApplicationName(REVOCATION_CHANNEL)],
          );
          expect(rowCount).toBeGreaterThanOrEqual(1);
          await writer.query(
            `WITH revoked AS (INSERT INTO access_revocations (id, "userId", "familyId", "expiresAt")
               VALUES (gen_random_uuid(), $1, $2, now() + interval '16 minutes') RETURNING "userId", "familyId", "expiresAt")
             SELECT pg_notify($3, row_to_json(revoked)::text) FROM revoked`,
            [user.userId, familyId, REVOCATION_CHANNEL],
          );
        } finally {
          await allowConnections(true);
        }
      });
    });
    const refused = () =>
      client.me.get.query().then(
        () => undefined,
        (error: unknown) => errorCode(error),
      );
    expect(await waitFor(refused, 10_000, "the server to listen again and re-read the revocations")).toBe("UNAUTHORIZED");
  });

  it("end the sign-in's live inbox before it sends anything more", async () => {
    const user = await api.signIn("live-signed-out@daycarat.dev");
    const live = subscribeToInbox(await accessOnly(user));
    await live.started;
    await write(user.userId);
    await live.receivedCount(1);

    await user.client.auth.signOut.mutate({ refreshToken: (await user.tokens.get())?.refreshToken ?? "" });
    await write(user.userId);
    const ended = live.failed.then((error) => errorCode(error));
    const delivered = live.receivedCount(2).then(
      () => "delivered",
      () => ended,
    );
    expect(await Promise.race([ended, delivered])).toBe("UNAUTHORIZED");
    expect(live.received).toHaveLength(1);
  });
});
