import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { errorCode, fieldIssues, type RouterInputs } from "@daycarat/client";
import { expectFieldRefused } from "@daycarat/testkit";
import { startTestApi } from "../test-server.ts";

const api = await startTestApi();

const deviceOf = (token: string) => api.db.device.findUniqueOrThrow({ where: { token } });

describe("devices.register", () => {
  it("registers a new token for the caller", async () => {
    const { client, userId } = await api.signIn("device-new@daycarat.dev");
    const before = Date.now();
    const device = await client.devices.register.mutate({ token: "fcm:new-token", platform: "IOS" });
    expect(Object.keys(device).sort()).toEqual(["id", "lastSeenAt", "platform"]);
    expect(device.platform).toBe("IOS");
    expect(Date.parse(device.lastSeenAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await deviceOf("fcm:new-token")).toMatchObject({ id: device.id, userId, platform: "IOS", invalidSince: null });
  });

  it("refreshes the caller's own token: same row, newer lastSeenAt, invalidSince cleared", async () => {
    const { client, userId } = await api.signIn("device-refresh@daycarat.dev");
    const stale = await api.db.device.create({
      data: { userId, token: "fcm:stale", platform: "ANDROID", lastSeenAt: new Date("2026-01-01"), invalidSince: new Date("2026-02-01") },
    });
    const device = await client.devices.register.mutate({ token: "fcm:stale", platform: "ANDROID" });
    expect(device.id).toBe(stale.id);
    expect(Date.parse(device.lastSeenAt)).toBeGreaterThan(Date.parse("2026-01-01"));
    expect(await deviceOf("fcm:stale")).toMatchObject({ userId, invalidSince: null });
    expect(await api.db.device.count({ where: { userId } })).toBe(1);
  });

  it("moves a token registered by another user to the caller", async () => {
    const previous = await api.signIn("device-previous@daycarat.dev");
    const next = await api.signIn("device-next@daycarat.dev");
    const first = await previous.client.devices.register.mutate({ token: "fcm:handed-over", platform: "ANDROID" });

    const moved = await next.client.devices.register.mutate({ token: "fcm:handed-over", platform: "ANDROID" });
    expect(moved.id).toBe(first.id);
    expect(await deviceOf("fcm:handed-over")).toMatchObject({ userId: next.userId });
    expect(await api.db.device.count({ where: { userId: previous.userId } })).toBe(0);
    // The previous owner no longer controls it.
    const error = await previous.client.devices.unregister.mutate({ token: "fcm:handed-over" }).catch((caught: unknown) => caught);
    expect(errorCode(error)).toBe("NOT_FOUND");
  });

  it("rejects bad fields by name", async () => {
    const { client, userId } = await api.signIn("device-invalid@daycarat.dev");
    const attempts: [RouterInputs["devices"]["register"], string][] = [
      [{ token: "", platform: "IOS" }, "token"],
      [{ token: "x".repeat(1025), platform: "IOS" }, "token"],
      [{ token: "has space", platform: "IOS" }, "token"],
      [{ token: "fcm:ok", platform: "WINDOWS" as "IOS" }, "platform"],
    ];
    for (const [input, field] of attempts) {
      await expectFieldRefused(client.devices.register.mutate(input), field);
    }
    expect(await api.db.device.count({ where: { userId } })).toBe(0);
  });

  it("accepts a token of exactly 1024 random characters", async () => {
    const { client } = await api.signIn("device-long@daycarat.dev");
    // Random, so that Postgres cannot compress it below the unique index's entry size.
    const token = randomBytes(768).toString("base64url");
    expect(await client.devices.register.mutate({ token, platform: "WEB" })).toMatchObject({ platform: "WEB" });
  });
});

describe("devices.unregister", () => {
  it("deletes the caller's device", async () => {
    const { client, userId } = await api.signIn("device-remove@daycarat.dev");
    await client.devices.register.mutate({ token: "fcm:remove-me", platform: "IOS" });
    await client.devices.register.mutate({ token: "fcm:keep-me", platform: "WEB" });
    expect(await client.devices.unregister.mutate({ token: "fcm:remove-me" })).toEqual({ deleted: true });
    const left = await api.db.device.findMany({ where: { userId }, select: { token: true } });
    expect(left).toEqual([{ token: "fcm:keep-me" }]);
    const again = await client.devices.unregister.mutate({ token: "fcm:remove-me" }).catch((caught: unknown) => caught);
    expect(errorCode(again)).toBe("NOT_FOUND");
  });

  it("answers NOT_FOUND for another user's token and leaves it alone", async () => {
    const { client } = await api.signIn("device-intruder@daycarat.dev");
    const owner = await api.signIn("device-owner@daycarat.dev");
    await owner.client.devices.register.mutate({ token: "fcm:not-yours", platform: "ANDROID" });
    const error = await client.devices.unregister.mutate({ token: "fcm:not-yours" }).catch((caught: unknown) => caught);
    expect(errorCode(error)).toBe("NOT_FOUND");
    expect(await deviceOf("fcm:not-yours")).toMatchObject({ userId: owner.userId });
  });

  it("rejects an empty token by name", async () => {
    const { client } = await api.signIn("device-unregister-invalid@daycarat.dev");
    const error = await client.devices.unregister.mutate({ token: "" }).catch((caught: unknown) => caught);
    expect(errorCode(error)).toBe("BAD_REQUEST");
    expect(fieldIssues(error).map((issue) => issue.path)).toContain("token");
  });
});
