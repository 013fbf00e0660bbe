import { z } from "zod";
import type { Prisma } from "@daycarat/db";

const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** Input: a time of day as HH:MM (00:00–23:59), decoded to minutes after midnight as stored. */
export const timeOfDay = z
  .string()
  .regex(HH_MM, "must be a time HH:MM from 00:00 to 23:59")
  .transform((time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));

function toTimeOfDay(minutes: number): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export const preferencesSelect = {
  aiResults: true,
  notices: true,
  reminders: true,
  quietHoursEnabled: true,
  quietHoursStart: true,
  quietHoursEnd: true,
} satisfies Prisma.NotificationPreferenceSelect;

type PreferencesRow = Prisma.NotificationPreferenceGetPayload<{ select: typeof preferencesSelect }>;

const outputTime = z.string().regex(HH_MM);

export const preferences = z.object({
  aiResults: z.boolean(),
  notices: z.boolean(),
  reminders: z.boolean(),
  /** No push between start and end in the user's time zone; start after end spans midnight. */
  quietHours: z.object({ enabled: z.boolean(), start: outputTime, end: outputTime }),
});

export function toPreferences(row: PreferencesRow): z.infer<typeof preferences> {
  const { quietHoursEnabled, quietHoursStart, quietHoursEnd, ...categories } = row;
  return {
    ...categories,
    quietHours: { enabled: quietHoursEnabled, start: toTimeOfDay(quietHoursStart), end: toTimeOfDay(quietHoursEnd) },
  };
}
