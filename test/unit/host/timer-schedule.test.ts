import { parseTimerSchedule } from "../../../src/host/timer/timer-schedule";
import { TimerScheduler, type TimerInfo } from "../../../src/host/timer/timer-scheduler";

describe("timer schedules", () => {
  const at = (iso: string): Date => new Date(iso);

  it("reads six-field NCRONTAB with seconds first", () => {
    const everyFiveMinutes = parseTimerSchedule("0 */5 * * * *");
    expect(everyFiveMinutes.nextAfter(at("2024-01-01T00:01:00Z"))).toEqual(at("2024-01-01T00:05:00Z"));
    expect(parseTimerSchedule("*/10 * * * * *").nextAfter(at("2024-01-01T00:00:01Z"))).toEqual(
      at("2024-01-01T00:00:10Z"),
    );
  });

  it("understands day names and ranges", () => {
    // 2024-01-06 is a Saturday: the next weekday 09:30 is Monday the 8th.
    expect(parseTimerSchedule("0 30 9 * * Mon-Fri").nextAfter(at("2024-01-06T00:00:00Z"))).toEqual(
      at("2024-01-08T09:30:00Z"),
    );
  });

  it("reads a TimeSpan as a fixed interval", () => {
    expect(parseTimerSchedule("00:00:30").nextAfter(at("2024-01-01T00:00:00Z"))).toEqual(
      at("2024-01-01T00:00:30Z"),
    );
    expect(parseTimerSchedule("1.00:00:00").nextAfter(at("2024-01-01T00:00:00Z"))).toEqual(
      at("2024-01-02T00:00:00Z"),
    );
  });

  it("says how many fields NCRONTAB needs", () => {
    expect(() => parseTimerSchedule("*/5 * * * *")).toThrow(/has 5 fields; NCRONTAB needs six/);
    expect(() => parseTimerSchedule("0 0 25 * * *")).toThrow(/not a valid NCRONTAB expression/);
  });
});

describe("the timer scheduler", () => {
  it("runs each function at its times, and on startup when asked", async () => {
    const runs: { name: string; info: TimerInfo }[] = [];
    const scheduler = new TimerScheduler(
      [
        { functionName: "EverySecond", schedule: parseTimerSchedule("* * * * * *"), runOnStartup: false },
        { functionName: "Daily", schedule: parseTimerSchedule("0 0 0 * * *"), runOnStartup: true },
      ],
      async (name, info) => {
        runs.push({ name, info });
      },
    );
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await scheduler.stop();

    const everySecond = runs.filter((run) => run.name === "EverySecond");
    expect(everySecond.length).toBeGreaterThanOrEqual(2);
    expect(runs.filter((run) => run.name === "Daily")).toHaveLength(1);
    expect(everySecond[0].info.isPastDue).toBe(false);
    expect(Date.parse(everySecond[0].info.scheduleStatus.next)).toBeGreaterThan(Date.now() - 2000);
  });
});
