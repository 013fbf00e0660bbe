import { deliverDuePushes, type DeliveryTally } from "./deliver.ts";
import { findNotifications, recordNotifications, type NotificationDependencies, type NotificationRequest } from "./inbox.ts";

const entryKey = ({ userId, dedupeKey }: { userId: string; dedupeKey: string }) => `${userId} ${dedupeKey}`;

/**
 * Handles personal notifications, several at a time: their inbox entries in one transaction,
 * then the pushes that are due now, 500 per FCM call. A redelivered request finds its entry by
 * the dedupe key and only sends what is still pending, so handling a batch again is harmless.
 */
export async function notifyUsers(deps: NotificationDependencies, requests: readonly NotificationRequest[]): Promise<DeliveryTally> {
  const created = await recordNotifications(deps, requests);
  // Requests that wrote nothing now were delivered before (or their user is gone): their entries may still have pushes pending.
  const createdKeys = new Set(created.map((entry) => entryKey(entry)));
  const earlier = await findNotifications(
    deps.db,
    requests.filter((request) => !createdKeys.has(entryKey(request))),
  );
  return deliverDuePushes(deps, { notificationIds: [...created.map((entry) => entry.id), ...earlier] });
}
