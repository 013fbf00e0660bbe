import type { DatabaseClient } from "@daycarat/db";
import type { TestApi } from "@daycarat/server/testing";
import { waitFor, type FakeFcm } from "@daycarat/testkit";

// What the push tests share: users ready to receive pushes, and reads of what the worker left.

/** Worker settings that send pushes to the FCM stand-in through firebase-admin. */
export const fcmEnv = (fcm: FakeFcm) => ({ FIREBASE_SERVICE_ACCOUNT: fcm.serviceAccountJson, FCM_STAND_IN_URL: fcm.url });

/**
 * A signed-in user who allows pushes, without quiet hours (so pushes go out at any time of
 * the test run), with a device per token.
 */
export async function pushReadyUser(api: Pick<TestApi, "signIn">, email: string, tokens: readonly string[]) {
  const user = await api.signIn(email);
  await user.client.me.update.mutate({ pushAllowed: true });
  await user.client.preferences.update.mutate({ quietHours: { enabled: false } });
  for (const token of tokens) await user.client.devices.register.mutate({ token, platform: "ANDROID" });
  return user;
}

/** A personal notification request for the user, as the AI analysis enqueues them. */
export const aiResult = (userId: string, dedupeKey: string) => ({
  userId,
  type: "ANALYSIS_SUCCEEDED" as const,
  category: "AI_RESULT" as const,
  title: "보석 가공이 완료되었어요",
  body: "AI가 추천 문장을 만들었어요.",
  data: { episodeId: "0193a0c4-0000-7000-8000-000000000001" },
  dedupeKey,
});

/** The deliveries of the user's notification with this dedupe key, by device token, once none is still pending. */
export function settledDeliveries(db: DatabaseClient, userId: string, dedupeKey: string, timeoutMs = 15_000) {
  return waitFor(
    async () => {
      const deliveries = await db.notificationDelivery.findMany({
        where: { notification: { userId, dedupeKey } },
        include: { device: { select: { token: true } } },
        orderBy: { device: { token: "asc" } },
      });
      const settled = deliveries.length > 0 && deliveries.every((delivery) => !["PENDING", "DEFERRED"].includes(delivery.status));
      return settled ? deliveries : undefined;
    },
    timeoutMs,
    `settled deliveries of ${dedupeKey}`,
  );
}

/** The messages the stand-in accepted for a token. */
export const deliveredTo = (fcm: FakeFcm, token: string) => fcm.delivered.filter((message) => message.token === token);
