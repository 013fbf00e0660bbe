import { z } from "zod";
import { NotificationCategory, NotificationType, type Prisma } from "@daycarat/db";
import { id, isoDateTime } from "../../schemas/common.ts";

export const notificationSelect = {
  id: true,
  type: true,
  category: true,
  title: true,
  body: true,
  data: true,
  readAt: true,
  createdAt: true,
} satisfies Prisma.NotificationSelect;

type NotificationRow = Prisma.NotificationGetPayload<{ select: typeof notificationSelect }>;

/** Where a notification leads, e.g. `{ "episodeId": "…" }`. */
const linkData = z.record(z.string(), z.json());

export const notification = z.object({
  id,
  type: z.enum(NotificationType),
  category: z.enum(NotificationCategory),
  title: z.string(),
  body: z.string(),
  data: linkData,
  readAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});

// The column is any JSON, but every producer writes an object; anything else has no link to offer.
function toLinkData(data: Prisma.JsonValue): z.infer<typeof linkData> {
  const parsed = linkData.safeParse(data);
  return parsed.success ? parsed.data : {};
}

export function toNotification(row: NotificationRow): z.infer<typeof notification> {
  return {
    ...row,
    data: toLinkData(row.data),
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
