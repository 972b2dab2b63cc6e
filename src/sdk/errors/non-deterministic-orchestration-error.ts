import { DurableError } from "./durable-error";

/** Where a replay diverged: a history event and what the code scheduled at the same sequence number. */
export interface ReplayMismatch {
  instanceId: string;
  /** Index of the event in the history array. */
  historyIndex: number;
  /** The event's type name, e.g. "TaskScheduled". */
  eventType: string;
  /** The activity, sub-orchestration or event name the history recorded, if the event has one. */
  eventName?: string;
  /** The target instance (sub-orchestration or entity) the history recorded, if any. */
  eventInstanceId?: string;
  eventId: number;
  /** What the code asked for at that sequence number, or undefined when it asked for nothing. */
  scheduled?: string;
}

/**
 * The orchestrator code no longer schedules what its history says it scheduled: it was changed
 * while instances were in flight, or it depends on something other than its inputs and history
 * (the clock, random numbers, I/O). Replaying further would pair results with the wrong tasks.
 */
export class NonDeterministicOrchestrationError extends DurableError {
  readonly mismatch: ReplayMismatch;

  constructor(mismatch: ReplayMismatch) {
    super(describe(mismatch));
    this.name = "NonDeterministicOrchestrationError";
    this.mismatch = mismatch;
  }
}

function describe(m: ReplayMismatch): string {
  const recorded = [
    m.eventName !== undefined ? `Name '${m.eventName}'` : undefined,
    m.eventInstanceId !== undefined ? `InstanceId '${m.eventInstanceId}'` : undefined,
    `EventId ${m.eventId}`,
  ].filter((part) => part !== undefined);
  const asked =
    m.scheduled ?? "nothing (it has not scheduled any task with this sequence number at this point)";
  return (
    `Non-deterministic orchestration detected in instance '${m.instanceId}': ` +
    `history event #${m.historyIndex} ${m.eventType} (${recorded.join(", ")}) ` +
    `does not match what the orchestrator code scheduled at sequence number ${m.eventId}: ${asked}. ` +
    `An orchestrator must schedule the same tasks in the same order on every replay; ` +
    `do not change orchestrator code while instances are running, and do not depend on the clock, ` +
    `random numbers or I/O outside activities.`
  );
}
