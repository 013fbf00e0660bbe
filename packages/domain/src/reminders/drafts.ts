import { Prisma } from "@daycarat/db";
import type { NotificationDependencies } from "../notifications/inbox.ts";
import { koreanDate, REMINDER_TIME_ZONE, sendReminders, type ReminderTally } from "./send-reminders.ts";

/** A draft untouched this long is worth a nudge. */
export const DRAFT_STALE_AFTER_DAYS = 3;
/** A user gets at most one draft reminder in this many (Korean calendar) days. */
export const DRAFT_REMINDER_INTERVAL_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

interface DraftTarget {
  userId: string;
  drafts: number;
  oldestDraftId: string;
}

/**
 * The draft nudge (daily 20:00 in Korea): every user who takes reminders and has draft
 * episodes untouched for DRAFT_STALE_AFTER_DAYS, unless they had a draft reminder within the
 * last DRAFT_REMINDER_INTERVAL_DAYS. The interval counts Korean calendar days, not hours: a
 * reminder sent at 20:00:05 last Wednesday does not hold back tonight's run at 20:00:02, so
 * the cadence stays weekly. The entry leads to the oldest waiting draft.
 */
export async function sendDraftReminders(deps: NotificationDependencies, now = new Date()): Promise<ReminderTally> {
  const dedupeKey = `draft-reminder:${koreanDate(now)}`;
  const staleSince = new Date(now.getTime() - DRAFT_STALE_AFTER_DAYS * DAY_MS);
  // Per user, one range of the (userId, state, updatedAt) index of episodes: about 0.5 s for
  // 100k users with 500k episodes.
  const targets = await deps.db.$queryRaw<DraftTarget[]>(Prisma.sql`
    SELECT u.id AS "userId", stale.drafts, stale."oldestDraftId"
    FROM users u
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS drafts, (array_agg(e.id ORDER BY e."updatedAt", e.id))[1]::text AS "oldestDraftId"
      FROM episodes e
      WHERE e."userId" = u.id AND e.state = 'DRAFT' AND e."updatedAt" <= ${staleSince}::timestamptz
    ) stale
    LEFT JOIN notification_preferences p ON p."userId" = u.id
    WHERE stale.drafts > 0
      AND COALESCE(p.reminders, true)
      AND NOT EXISTS (
        SELECT FROM notifications n
        WHERE n."userId" = u.id
          AND n.type = 'DRAFT_REMINDER'
          AND n."createdAt" >= (date_trunc('day', ${now}::timestamptz AT TIME ZONE ${REMINDER_TIME_ZONE})
                                - make_interval(days => ${DRAFT_REMINDER_INTERVAL_DAYS - 1}::int)) AT TIME ZONE ${REMINDER_TIME_ZONE})`);
  return sendReminders(
    deps,
    targets,
    ({ userId, drafts, oldestDraftId }) => ({
      userId,
      type: "DRAFT_REMINDER",
      category: "REMINDER",
      title: "작성 중인 경험을 마무리해 볼까요?",
      body: `임시 저장된 경험 ${drafts}개가 며칠째 기다리고 있어요. 이어서 정리하고 보석으로 가공해 보세요.`,
      data: { episodeId: oldestDraftId },
      dedupeKey,
    }),
    now,
  );
}
