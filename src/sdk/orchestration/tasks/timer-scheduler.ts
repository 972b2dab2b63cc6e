import type { TaskBase } from "./task-base";

/** What timer-based composite tasks need from the orchestration context. */
export interface TimerScheduler {
  /** The orchestration's replay-safe current time. */
  readonly currentUtcDateTime: Date;
  /** A timer task, split into a chain when the schema and its length call for it. */
  createTimerTask(fireAt: Date): TaskBase;
}
