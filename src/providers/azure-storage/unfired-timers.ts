import { HistoryEventType, type HistoryEvent } from "../../protocol/history";

/**
 * When the timers of a history that have not fired are due (epoch milliseconds): each one's
 * TimerFired message waits hidden in the instance's control queue until about then. None once
 * the execution has ended, as its late messages are only cleared away.
 */
export function unfiredTimerDueTimes(events: readonly HistoryEvent[]): number[] {
  const fireAtById = new Map<number, string>();
  for (const event of events) {
    switch (event.EventType) {
      case HistoryEventType.TimerCreated:
        fireAtById.set(event.EventId, event.FireAt);
        break;
      case HistoryEventType.TimerFired:
        fireAtById.delete(event.TimerId);
        break;
      case HistoryEventType.ExecutionCompleted:
      case HistoryEventType.ContinueAsNew:
        return [];
    }
  }
  return [...fireAtById.values()].map((fireAt) => Date.parse(fireAt)).filter((ms) => Number.isFinite(ms));
}
