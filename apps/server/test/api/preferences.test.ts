import { describe, expect, it } from "vitest";
import { errorCode, type RouterInputs } from "@daycarat/client";
import { expectFieldRefused } from "@daycarat/testkit";
import { startTestApi } from "../test-server.ts";

const api = await startTestApi();

const DEFAULTS = { aiResults: true, notices: true, reminders: true, quietHours: { enabled: true, start: "22:00", end: "08:00" } };

describe("preferences.get", () => {
  it("recreates the defaults, once, for a user without a preferences row", async () => {
    const { client, userId } = await api.signIn("prefs-defaults@daycarat.dev");
    // Sign-up creates the row; users from before preferences existed have none.
    await api.db.notificationPreference.deleteMany({ where: { userId } });
    const reads = await Promise.all([client.preferences.get.query(), client.preferences.get.query()]);
    expect(reads).toEqual([DEFAULTS, DEFAULTS]);
    expect(await api.db.notificationPreference.count({ where: { userId } })).toBe(1);
  });

  it("needs a signed-in user", async () => {
    expect(
      errorCode(
        await api
          .anonymous()
          .preferences.get.query()
          .catch((caught: unknown) => caught),
      ),
    ).toBe("UNAUTHORIZED");
  });
});

describe("preferences.update", () => {
  it("changes only the fields given and stores times as minutes after midnight", async () => {
    const { client, userId } = await api.signIn("prefs-update@daycarat.dev");
    const other = await api.signIn("prefs-other@daycarat.dev");

    expect(await client.preferences.update.mutate({ reminders: false, quietHours: { start: "23:30" } })).toEqual({
      ...DEFAULTS,
      reminders: false,
      quietHours: { enabled: true, start: "23:30", end: "08:00" },
    });
    const changed = await client.preferences.update.mutate({ aiResults: false, quietHours: { enabled: false, end: "00:05" } });
    const expected = { aiResults: false, notices: true, reminders: false, quietHours: { enabled: false, start: "23:30", end: "00:05" } };
    expect(changed).toEqual(expected);
    expect(await client.preferences.get.query()).toEqual(expected);
    expect(await api.db.notificationPreference.findUniqueOrThrow({ where: { userId } })).toMatchObject({
      quietHoursStart: 23 * 60 + 30,
      quietHoursEnd: 5,
    });
    expect(await other.client.preferences.get.query()).toEqual(DEFAULTS);
  });

  it("accepts quiet hours within one day and the edges of the day", async () => {
    const { client } = await api.signIn("prefs-edges@daycarat.dev");
    const quietHours = { enabled: true, start: "00:00", end: "23:59" };
    expect(await client.preferences.update.mutate({ quietHours })).toMatchObject({ quietHours });
  });

  it("rejects bad fields by name and changes nothing", async () => {
    const { client, userId } = await api.signIn("prefs-invalid@daycarat.dev");
    await client.preferences.get.query();
    const attempts: [RouterInputs["preferences"]["update"], string][] = [
      [{ quietHours: { start: "24:00" } }, "quietHours.start"],
      [{ quietHours: { end: "7:00" } }, "quietHours.end"],
      [{ quietHours: { start: "12:60" } }, "quietHours.start"],
      [{ quietHours: { start: "오후 10시" } }, "quietHours.start"],
      [{ quietHours: {} }, "quietHours"],
      [{}, ""],
    ];
    for (const [input, field] of attempts) {
      await expectFieldRefused(client.preferences.update.mutate(input), field);
    }
    expect(await client.preferences.get.query()).toEqual(DEFAULTS);
    expect(await api.db.notificationPreference.count({ where: { userId } })).toBe(1);
  });
});
