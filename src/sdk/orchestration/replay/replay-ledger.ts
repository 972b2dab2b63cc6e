import { HistoryEventType, type HistoryEvent } from "../../../protocol";
import type { ReplayMismatch } from "../../errors/non-deterministic-orchestration-error";
import type { ScheduledWork } from "./scheduled-work";

/** The history events that record work the orchestrator scheduled, each under its sequence number. */
const SCHEDULING_EVENTS: ReadonlySet<HistoryEventType> = new Set([
  HistoryEventType.TaskScheduled,
  HistoryEventType.SubOrchestrationInstanceCreated,
  HistoryEventType.TimerCreated,
  HistoryEventType.EventSent,
]);

export function isSchedulingEvent(event: HistoryEvent): boolean {
  return SCHEDULING_EVENTS.has(event.EventType);
}

/**
 * Remembers, per sequence number, what the code scheduled during this replay, and checks each
 * scheduling event of the history against it. Names are compared only when the event carries
 * them: hosts may leave out fields the worker does not need.
 */
export class ReplayLedger {
  private readonly work = new Map<number, ScheduledWork>();

  constructor(private readonly instanceId: string) {}

  record(sequenceNumber: number, work: ScheduledWork | undefined): void {
    if (work !== undefined) {
      this.work.set(sequenceNumber, work);
    }
  }

  /** Forgets everything: the history restarted with a ContinueAsNew event. */
  clear(): void {
    this.work.clear();
  }

  /** The mismatch between a scheduling event and the code, or undefined when they agree. */
  check(event: HistoryEvent, historyIndex: number): ReplayMismatch | undefined {
    const eventId = event.EventId;
    if (!isSchedulingEvent(event) || typeof eventId !== "number" || eventId < 0) {
      return undefined;
    }
    const expected = this.work.get(eventId);
    if (expected !== undefined && agrees(expected, event)) {
      return undefined;
    }
    return {
      instanceId: this.instanceId,
      historyIndex,
      eventType: HistoryEventType[event.EventType],
      eventName: "Name" in event && typeof event.Name === "string" ? event.Name : undefined,
      eventInstanceId:
        "InstanceId" in event && typeof event.InstanceId === "string" ? event.InstanceId : undefined,
      eventId,
      scheduled: expected?.label,
    };
  }
}

function agrees(expected: ScheduledWork, event: HistoryEvent): boolean {
  switch (event.EventType) {
    case HistoryEventType.TaskScheduled:
      return expected.event === event.EventType && sameIfPresent(event.Name, expected.name);
    case HistoryEventType.SubOrchestrationInstanceCreated:
      return (
        expected.event === event.EventType &&
        sameIfPresent(event.Name, expected.name) &&
        (expected.instanceId === undefined || sameIfPresent(event.InstanceId, expected.instanceId))
      );
    case HistoryEventType.TimerCreated:
      return expected.event === event.EventType;
    case HistoryEventType.EventSent:
      return (
        expected.event === event.EventType &&
        (typeof event.InstanceId !== "string" || expected.targets.includes(event.InstanceId))
      );
    default:
      return true;
  }
}

function sameIfPresent(recorded: unknown, expected: string): boolean {
  return typeof recorded !== "string" || recorded === expected;
}
