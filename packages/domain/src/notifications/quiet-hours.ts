const MINUTES_PER_DAY = 24 * 60;

export interface QuietHours {
  enabled: boolean;
  /** Minutes after local midnight; start > end spans midnight (22:00–08:00). */
  start: number;
  end: number;
}

/** The user's defaults until they change them: quiet from 22:00 to 08:00. */
export const DEFAULT_QUIET_HOURS: QuietHours = { enabled: true, start: 22 * 60, end: 8 * 60 };

/** One formatter per time zone: building one costs far more than formatting with it. */
const clockFormats = new Map<string, Intl.DateTimeFormat>();

function clockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    clockFormats.set(timeZone, format);
  }
  return format;
}

function localMinutes(at: Date, timeZone: string): { minutes: number; seconds: number } {
  const parts = clockFormat(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { minutes: part("hour") * 60 + part("minute"), seconds: part("second") };
}

function isQuiet(minutes: number, { start, end }: QuietHours): boolean {
  if (start === end) return false;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/**
 * When a push that is due `now` may go out: `undefined` when now is outside the user's quiet
 * hours, otherwise the end of the quiet period in their time zone. (Across a daylight-saving
 * change inside the period the end moves by that hour; Korea has none.)
 */
export function endOfQuietHours(quietHours: QuietHours, timeZone: string, now: Date): Date | undefined {
  if (!quietHours.enabled) return undefined;
  const { minutes, seconds } = localMinutes(now, timeZone);
  if (!isQuiet(minutes, quietHours)) return undefined;
  const minutesLeft = (quietHours.end - minutes + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  const startOfMinute = now.getTime() - seconds * 1000 - now.getMilliseconds();
  return new Date(startOfMinute + minutesLeft * 60_000);
}
