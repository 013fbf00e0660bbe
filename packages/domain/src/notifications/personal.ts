import { deliverDuePushes, type DeliveryTally } from "./deliver.ts";
import { findNotification, recordNotifications, type NotificationDependencies, type NotificationRequest } from "./inbox.ts";

/**
 * Handles one personal notification: the inbox entry, then the pushes that are due now.
 * A redelivered job finds its entry by the dedupe key and only sends what is still pending.
 */
export async function notifyUser(deps: NotificationDependencies, request: NotificationRequest): Promise<DeliveryTally | undefined> {
  await recordNotifications(deps, [request]);
  const notificationId = await findNotification(deps.db, request);
  if (!notificationId) return undefined; // the user was deleted meanwhile
  return deliverDuePushes(deps, { notificationIds: [notificationId] });
}
