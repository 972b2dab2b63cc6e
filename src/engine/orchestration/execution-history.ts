import {
  HistoryEventType,
  OrchestrationStatusCode,
  type ExecutionStartedEvent,
  type HistoryEvent,
} from "../../protocol/history";
import type { RuntimeStatusName } from "../../protocol/status";

/** Facts about one execution read off its history. */
export class ExecutionHistory {
  private startedEvent: ExecutionStartedEvent | undefined;
  private readonly completedIds = new Set<number>();
  private readonly scheduledIds = new Set<number>();
  private readonly requestIds = new Set<string>();
  private readonly answeredRequestIds = new Set<string>();
  private terminalStatus: RuntimeStatusName | undefined;
  private suspended = false;

  constructor(events: readonly HistoryEvent[]) {
    for (const event of events) this.note(event);
  }

  /** Keeps the facts current as the episode appends events. */
  note(event: HistoryEvent): void {
    switch (event.EventType) {
      case HistoryEventType.ExecutionStarted:
        this.startedEvent ??= event;
        break;
      case HistoryEventType.TaskScheduled:
      case HistoryEventType.TimerCreated:
      case HistoryEventType.SubOrchestrationInstanceCreated:
        this.scheduledIds.add(event.EventId);
        break;
      case HistoryEventType.EventSent: {
        const id = requestIdOf(event.Input);
        if (id) this.requestIds.add(id);
        break;
      }
      case HistoryEventType.TaskCompleted:
      case HistoryEventType.TaskFailed:
      case HistoryEventType.SubOrchestrationInstanceCompleted:
      case HistoryEventType.SubOrchestrationInstanceFailed:
      case HistoryEventType.TimerFired:
        this.completedIds.add(completedTaskId(event) as number);
        break;
      case HistoryEventType.EventRaised:
        if (this.requestIds.has(event.Name)) this.answeredRequestIds.add(event.Name);
        break;
      case HistoryEventType.ExecutionCompleted:
        this.terminalStatus = statusName(event.OrchestrationStatus);
        break;
      case HistoryEventType.ExecutionTerminated:
        this.terminalStatus = "Terminated";
        break;
      case HistoryEventType.ExecutionSuspended:
        this.suspended = true;
        break;
      case HistoryEventType.ExecutionResumed:
        this.suspended = false;
        break;
      default:
        break;
    }
  }

  get started(): ExecutionStartedEvent | undefined {
    return this.startedEvent;
  }

  get executionId(): string | undefined {
    return this.started?.OrchestrationInstance.ExecutionId;
  }

  get runtimeStatus(): RuntimeStatusName | undefined {
    if (!this.started) return undefined;
    if (this.terminalStatus) return this.terminalStatus;
    return this.suspended ? "Suspended" : "Running";
  }

  get isTerminal(): boolean {
    return this.terminalStatus !== undefined;
  }

  get isSuspended(): boolean {
    return this.suspended && !this.isTerminal;
  }

  isScheduled(id: number): boolean {
    return this.scheduledIds.has(id);
  }

  isCompleted(id: number): boolean {
    return this.completedIds.has(id);
  }

  isAnsweredRequest(requestId: string): boolean {
    return this.answeredRequestIds.has(requestId);
  }
}

/** The task number a completion event answers (TaskScheduledId, or TimerId for timers). */
export function completedTaskId(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case HistoryEventType.TaskCompleted:
    case HistoryEventType.TaskFailed:
    case HistoryEventType.SubOrchestrationInstanceCompleted:
    case HistoryEventType.SubOrchestrationInstanceFailed:
      return event.TaskScheduledId;
    case HistoryEventType.TimerFired:
      return event.TimerId;
    default:
      return undefined;
  }
}

export function statusName(code: OrchestrationStatusCode): RuntimeStatusName {
  return OrchestrationStatusCode[code] as RuntimeStatusName;
}

export function requestIdOf(input: string | null): string | undefined {
  if (!input) return undefined;
  try {
    const parsed: unknown = JSON.parse(input);
    if (typeof parsed === "object" && parsed !== null && "id" in parsed && typeof parsed.id === "string") {
      return parsed.id;
    }
  } catch {
    // Not a request message.
  }
  return undefined;
}
