import type { TimerSchedule } from "./timer-schedule";

/** What a timer-triggered function receives (the `Timer` object of @azure/functions). */
export interface TimerInfo {
  isPastDue: boolean;
  schedule: { adjustForDST: boolean };
  scheduleStatus: { last: string; next: string; lastUpdated: string };
}

export interface ScheduledTimer {
  functionName: string;
  schedule: TimerSchedule;
  runOnStartup: boolean;
}

/**
 * Runs timer-triggered functions at their times, one invocation of a function at a time (a
 * run that is still going when the next is due makes that one late, not concurrent).
 */
export class TimerScheduler {
  private readonly handles = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly timers: readonly ScheduledTimer[],
    private readonly invoke: (functionName: string, timer: TimerInfo) => Promise<void>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.stopped = false;
    for (const timer of this.timers) {
      const last = this.now();
      if (timer.runOnStartup) this.fire(timer, last, last);
      else this.arm(timer, last);
    }
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.handles.values()) clearTimeout(handle);
    this.handles.clear();
    await Promise.all(this.running);
  }

  private arm(timer: ScheduledTimer, last: Date): void {
    if (this.stopped) return;
    const next = timer.schedule.nextAfter(this.now());
    if (!next) return;
    // setTimeout cannot wait longer than about 24.8 days; wake up and look again.
    const delay = Math.min(Math.max(0, next.getTime() - this.now().getTime()), 2 ** 31 - 1);
    const handle = setTimeout(() => {
      if (this.now().getTime() < next.getTime()) this.arm(timer, last);
      else this.fire(timer, last, next);
    }, delay);
    handle.unref();
    this.handles.set(timer.functionName, handle);
  }

  private fire(timer: ScheduledTimer, last: Date, due: Date): void {
    const firedAt = this.now();
    const next = timer.schedule.nextAfter(firedAt) ?? firedAt;
    const info: TimerInfo = {
      // Late by more than the time to the following run, as the Functions runtime judges it.
      isPastDue: firedAt.getTime() - due.getTime() > Math.max(1000, next.getTime() - firedAt.getTime()),
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: last.toISOString(),
        next: next.toISOString(),
        lastUpdated: firedAt.toISOString(),
      },
    };
    const run = this.invoke(timer.functionName, info)
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(run);
        this.arm(timer, firedAt);
      });
    this.running.add(run);
  }
}
