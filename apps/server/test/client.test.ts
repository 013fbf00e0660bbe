import { describe, expect, it } from "vitest";
import { createDayCaratClient, errorCode, fieldIssues, memoryTokenStore } from "@daycarat/client";
import { expiredAccessToken, startTestApi } from "./test-server.ts";

const api = await startTestApi();

async function expiredSession(email: string) {
  const { tokens, userId } = await api.signIn(email);
  const current = await tokens.get();
  if (!current) throw new Error("not signed in");
  const stale = { accessToken: await expiredAccessToken(userId), refreshToken: current.refreshToken };
  return { userId, stale, tokens: memoryTokenStore(stale) };
}

describe("the typed client", () => {
  it("keeps the session a sign-in returns and forgets it on sign-out", async () => {
    const tokens = memoryTokenStore();
    const client = createDayCaratClient({ url: api.url, tokens });
    const session = await client.auth.dev.mutate({ email: "client@daycarat.dev" });
    expect(await tokens.get()).toEqual({ accessToken: session.accessToken, refreshToken: session.refreshToken });
    expect((await client.me.get.query()).id).toBe(session.user.id);

    await client.auth.signOut.mutate({ refreshToken: session.refreshToken });
    expect(await tokens.get()).toBeNull();
  });

  it("refreshes an expired access token once and repeats the call", async () => {
    const { userId, stale, tokens } = await expiredSession("expired-access@daycarat.dev");
    const client = createDayCaratClient({ url: api.url, tokens });

    expect((await client.me.get.query()).id).toBe(userId);
    const renewed = await tokens.get();
    expect(renewed?.accessToken).not.toBe(stale.accessToken);
    expect(renewed?.refreshToken).not.toBe(stale.refreshToken);
  });

  it("shares one refresh among calls that fail together", async () => {
    const { userId, tokens } = await expiredSession("concurrent@daycarat.dev");
    const client = createDayCaratClient({ url: api.url, tokens });
    const sessionsBefore = await api.db.session.count({ where: { userId } });

    const profiles = await Promise.all([client.me.get.query(), client.me.get.query(), client.me.get.query()]);
    expect(profiles.map((profile) => profile.id)).toEqual([userId, userId, userId]);
    // One rotation: one new session row, and no reuse alarm (nothing revoked).
    expect(await api.db.session.count({ where: { userId } })).toBe(sessionsBefore + 1);
    expect(await api.db.session.count({ where: { userId, revokedAt: { not: null } } })).toBe(0);
  });

  it("gives up with UNAUTHORIZED and clears the session when the refresh token is refused", async () => {
    const { userId, tokens } = await expiredSession("revoked@daycarat.dev");
    await api.db.session.updateMany({ where: { userId }, data: { revokedAt: new Date() } });
    const client = createDayCaratClient({ url: api.url, tokens });

    const error = await client.me.get.query().catch((caught: unknown) => caught);
    expect(errorCode(error)).toBe("UNAUTHORIZED");
    expect(await tokens.get()).toBeNull();
  });

  it("batches calls made together into one HTTP request", async () => {
    const { client } = await api.signIn("batch@daycarat.dev");
    const before = api.logs.lines().filter((line) => line.msg === "incoming request").length;
    await Promise.all([client.me.get.query(), client.me.get.query(), client.me.get.query()]);
    const requests = api.logs
      .lines()
      .filter((line) => line.msg === "incoming request")
      .slice(before);
    expect(requests).toHaveLength(1);
    expect((requests[0]?.req as { url: string }).url).toContain("batch=1");
  });

  it("batches many calls with long procedure names", async () => {
    const { client } = await api.signIn("long-batch@daycarat.dev");
    const calls = Array.from({ length: 12 }, () => client.episodes.recent.query());
    expect((await Promise.all(calls)).every((recent) => Array.isArray(recent))).toBe(true);
  });

  it("exposes the error code and the fields at fault", async () => {
    const { client } = await api.signIn("errors@daycarat.dev");
    const error = await client.me.update.mutate({ nickname: "", timeZone: "Mars/Olympus" }).catch((caught: unknown) => caught);
    expect(errorCode(error)).toBe("BAD_REQUEST");
    expect(
      fieldIssues(error)
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(["nickname", "timeZone"]);
  });
});
