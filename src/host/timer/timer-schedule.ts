import { Cron } from "croner";

/** When a timer-triggered function runs next. */
export interface TimerSchedule {
  readonly expression: string;
  nextAfter(time: Date): Date | undefined;
}

/**
 * Reads a timerTrigger schedule as Azure Functions does: a six-field NCRONTAB expression
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`), or a TimeSpan such as `00:05:00`
 * for a fixed interval. Times are UTC unless WEBSITE_TIME_ZONE (an IANA name) says otherwise.
 */
export function parseTimerSchedule(expression: string, timeZone?: string): TimerSchedule {
  const text = expression.trim();
  const interval = parseTimeSpanMs(text);
  if (interval !== undefined) {
    if (interval <= 0) throw new Error(`Timer schedule '${expression}' must be a positive interval.`);
    return { expression: text, nextAfter: (time) => new Date(time.getTime() + interval) };
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `Timer schedule '${expression}' has ${fields.length} fields; NCRONTAB needs six: ` +
        "{second} {minute} {hour} {day} {month} {day-of-week}, e.g. '0 */5 * * * *'.",
    );
  }
  let cron: Cron;
  try {
    cron = new Cron(text, { paused: true, mode: "6-part", timezone: timeZone ?? "UTC" });
  } catch (error) {
    throw new Error(
      `Timer schedule '${expression}' is not a valid NCRONTAB expression: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { expression: text, nextAfter: (time) => cron.nextRun(time) ?? undefined };
}

function parseTimeSpanMs(text: string): number | undefined {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [, days = "0", hours, minutes, seconds] = match;
  return (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}
