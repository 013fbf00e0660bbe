import { deliverDuePushes, type DeliveryTally } from "./deliver.ts";
import { findNotifications, recordNotifications, type NotificationDependencies, type NotificationRequest } from "./inbox.ts";

/**
 * Handles personal notifications, several at a time: their inbox entries in one transaction,
 * then the pushes that are due now, 500 per FCM call. A redelivered request finds its entry by
 * the dedupe key and only sends what is still pending, so handling a batch again is harmless.
 */
export async function notifyUsers(deps: NotificationDependencies, requests: readonly NotificationRequest[]): Promise<DeliveryTally> {
  await recordNotifications(deps, requests);
  // Users deleted meanwhile have no entry, and nothing is sent to them.
  const notificationIds = await findNotifications(deps.db, requests);
  return deliverDuePushes(deps, { notificationIds });
}
