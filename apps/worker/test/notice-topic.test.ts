import { describe, expect, it } from "vitest";
import { subscribeDeviceJob, syncNoticeTopicJob } from "@daycarat/jobs";
import { findJobs } from "@daycarat/jobs/testing";
import { NOTICES_TOPIC } from "@daycarat/push";
import { startTestApi } from "@daycarat/server/testing";
import { startFakeFcm, waitFor } from "@daycarat/testkit";
import { fcmEnv } from "./push-kit.ts";
import { startTestWorker } from "./test-worker.ts";

// The notices topic follows the devices table: the API registers devices with a subscribe job,
// changes push choices and removes devices with a sync, each enqueued in the same transaction;
// the worker (un)subscribes at the FCM stand-in through the real firebase-admin.

const fcm = await startFakeFcm();
const api = await startTestApi();
await startTestWorker(api.databaseUrl, fcmEnv(fcm));

const onTopic = (token: string) => fcm.topics.get(NOTICES_TOPIC)?.has(token) ?? false;
const eventuallyOnTopic = (token: string, expected: boolean) =>
  waitFor(() => Promise.resolve(onTopic(token) === expected ? true : undefined), 15_000, `${token} ${expected ? "on" : "off"} the topic`);

async function userWithDevice(email: string, token: string) {
  const user = await api.signIn(email);
  await user.client.me.update.mutate({ pushAllowed: true });
  await user.client.devices.register.mutate({ token, platform: "IOS" });
  await eventuallyOnTopic(token, true);
  return user;
}

describe("the notices topic", () => {
  it("takes a registered device once its user allows pushes, and lets it go on unregister", async () => {
    const { client } = await api.signIn("topic-consent@x.dev");
    await client.devices.register.mutate({ token: "fcm:topic-consent", platform: "ANDROID" });
    await client.me.update.mutate({ pushAllowed: true });
    await eventuallyOnTopic("fcm:topic-consent", true);
    // The stand-in knows first; the worker records the subscription when FCM's answer is back.
    await waitFor(
      async () => ((await api.db.device.findUniqueOrThrow({ where: { token: "fcm:topic-consent" } })).topicSubscribedAt ? true : undefined),
      15_000,
      "the subscription recorded",
    );

    await client.devices.unregister.mutate({ token: "fcm:topic-consent" });
    await eventuallyOnTopic("fcm:topic-consent", false);
    await waitFor(
      async () => ((await api.db.topicUnsubscription.count({ where: { token: "fcm:topic-consent" } })) === 0 ? true : undefined),
      15_000,
      "the unsubscription recorded",
    );
  });

  it("subscribes a device when it registers, through its own job rather than a sync", async () => {
    const { client } = await api.signIn("topic-register@x.dev");
    await client.me.update.mutate({ pushAllowed: true });
    // The consent's own sync must be done first, or it could be the one to subscribe the device.
    const syncsBefore = await waitFor(
      async () => {
        const syncs = await findJobs(api.db, syncNoticeTopicJob, {});
        return syncs.every((sync) => sync.state === "completed") ? syncs.length : undefined;
      },
      15_000,
      "the consent's topic sync done",
    );
    const { id } = await client.devices.register.mutate({ token: "fcm:topic-register", platform: "ANDROID" });
    await eventuallyOnTopic("fcm:topic-register", true);

    const subscribeJobState = async () => (await findJobs(api.db, subscribeDeviceJob, { data: { deviceId: id } })).map((job) => job.state);
    await waitFor(
      async () => ((await subscribeJobState()).join() === "completed" ? true : undefined),
      15_000,
      "the subscribe job completed",
    );
    expect(await findJobs(api.db, syncNoticeTopicJob, {})).toHaveLength(syncsBefore);
    expect(fcm.topicRequests.filter((request) => request.token === "fcm:topic-register")).toEqual([
      { action: "subscribe", token: "fcm:topic-register", topic: NOTICES_TOPIC },
    ]);
    // Registering again (the app starts up) changes nothing: the device is on the topic.
    await client.devices.register.mutate({ token: "fcm:topic-register", platform: "ANDROID" });
    expect(await findJobs(api.db, subscribeDeviceJob, { data: { deviceId: id } })).toHaveLength(1);
  });

  it("follows the notices preference and push consent", async () => {
    const { client } = await userWithDevice("topic-preference@x.dev", "fcm:topic-preference");
    await client.preferences.update.mutate({ notices: false });
    await eventuallyOnTopic("fcm:topic-preference", false);
    await client.preferences.update.mutate({ notices: true });
    await eventuallyOnTopic("fcm:topic-preference", true);
    await client.me.update.mutate({ pushAllowed: false });
    await eventuallyOnTopic("fcm:topic-preference", false);
  });

  it("keeps the devices while another sign-in lives, and removes them with the last sign-out", async () => {
    const { client, tokens } = await userWithDevice("topic-sign-out@x.dev", "fcm:topic-sign-out");
    const second = await api.signIn("topic-sign-out@x.dev");
    const secondTokens = await second.tokens.get();
    await second.client.auth.signOut.mutate({ refreshToken: secondTokens?.refreshToken ?? "" });
    expect(await api.db.device.count({ where: { token: "fcm:topic-sign-out" } })).toBe(1);

    const firstTokens = await tokens.get();
    await client.auth.signOut.mutate({ refreshToken: firstTokens?.refreshToken ?? "" });
    expect(await api.db.device.count({ where: { token: "fcm:topic-sign-out" } })).toBe(0);
    await eventuallyOnTopic("fcm:topic-sign-out", false);
  });

  it("lets the devices of a deleted account go", async () => {
    const { client } = await userWithDevice("topic-delete@x.dev", "fcm:topic-delete");
    await client.me.delete.mutate();
    await eventuallyOnTopic("fcm:topic-delete", false);
  });

  it("keeps a token that moved to another account on the topic", async () => {
    const { client } = await userWithDevice("topic-move-a@x.dev", "fcm:topic-moved");
    const other = await api.signIn("topic-move-b@x.dev");
    await other.client.me.update.mutate({ pushAllowed: true });
    await other.client.devices.register.mutate({ token: "fcm:topic-moved", platform: "IOS" });
    // The first owner cannot touch it any more, and the device stays on the topic for its new owner.
    await expect(client.devices.unregister.mutate({ token: "fcm:topic-moved" })).rejects.toThrow();
    await client.me.delete.mutate();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(onTopic("fcm:topic-moved")).toBe(true);
  });
});
