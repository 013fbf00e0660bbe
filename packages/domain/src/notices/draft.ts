import { z } from "zod";
import { userText } from "../user-text.ts";
import { NOTICE_LIMITS } from "./manage.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The rules for a notice's fields, whoever writes it (the admin API, the Slack form): the
 * one place they are stated, so both refuse the same things with the same words.
 */
export const noticeFields = {
  title: userText(NOTICE_LIMITS.titleMaxChars),
  body: userText(NOTICE_LIMITS.bodyMaxChars),
  /** From now (a minute of clock skew allowed) up to NOTICE_LIMITS.maxDaysAhead. */
  scheduledAt: z
    .date()
    .refine((at) => at.getTime() >= Date.now() - NOTICE_LIMITS.pastToleranceMs, "must not be in the past")
    .refine(
      (at) => at.getTime() <= Date.now() + NOTICE_LIMITS.maxDaysAhead * DAY_MS,
      `must be at most ${NOTICE_LIMITS.maxDaysAhead} days ahead`,
    ),
};
