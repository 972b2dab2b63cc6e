import { HistoryEventType, OrchestrationStatusCode, type HistoryEvent } from "../protocol/history";
import type { OrchestrationStatusBody } from "../protocol/status";
import type { InstanceState } from "../providers/task-hub";
import { parseJsonLenient } from "./history-events";

export interface StatusBodyOptions {
  showInput?: boolean;
  showHistory?: boolean;
  showHistoryOutput?: boolean;
}

/** The HTTP API's status object for an instance (and the in-process client's, identically). */
export function toStatusBody(
  state: InstanceState,
  history: readonly HistoryEvent[] | undefined,
  options: StatusBodyOptions = {},
): OrchestrationStatusBody {
  const showInput = options.showInput ?? true;
  const body: OrchestrationStatusBody = {
    name: state.name,
    instanceId: state.instanceId,
    runtimeStatus: state.runtimeStatus,
    input: showInput ? parseJsonLenient(state.input) : null,
    customStatus: parseJsonLenient(state.customStatus),
    output: parseJsonLenient(state.output),
    createdTime: toSecondsIso(state.createdTime),
    lastUpdatedTime: toSecondsIso(state.lastUpdatedTime),
  };
  if (options.showHistory && history && state.runtimeStatus !== "Pending") {
    body.historyEvents = transformHistory(history, showInput, options.showHistoryOutput ?? false);
  }
  return body;
}

/** .NET's "s" format plus Z: no fractional seconds. */
export function toSecondsIso(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The history as the status route shows it: names for types, scheduling events folded into
 * their completions, bookkeeping events left out.
 */
function transformHistory(
  history: readonly HistoryEvent[],
  showInput: boolean,
  showOutput: boolean,
): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  const result: Record<string, unknown>[] = [];
  for (const event of history) {
    switch (event.EventType) {
      case HistoryEventType.OrchestratorStarted:
      case HistoryEventType.OrchestratorCompleted:
        continue;
      case HistoryEventType.TaskScheduled:
      case HistoryEventType.SubOrchestrationInstanceCreated:
        scheduled.set(event.EventId, event);
        continue;
      default:
        break;
    }
    const { EventId: _id, IsPlayed: _played, ...rest } = event;
    const out: Record<string, unknown> = { ...rest, EventType: HistoryEventType[event.EventType] };
    switch (event.EventType) {
      case HistoryEventType.ExecutionStarted:
        out.FunctionName = event.Name;
        for (const key of ["Name", "OrchestrationInstance", "ParentInstance", "Version", "Tags"])
          delete out[key];
        break;
      case HistoryEventType.ExecutionCompleted:
        out.OrchestrationStatus = OrchestrationStatusCode[event.OrchestrationStatus];
        break;
      case HistoryEventType.TaskCompleted:
      case HistoryEventType.TaskFailed:
      case HistoryEventType.SubOrchestrationInstanceCompleted:
      case HistoryEventType.SubOrchestrationInstanceFailed: {
        const origin = scheduled.get(event.TaskScheduledId);
        delete out.TaskScheduledId;
        if (origin && "Name" in origin) {
          out.ScheduledTime = origin.Timestamp;
          out.FunctionName = origin.Name;
          if (showInput && "Input" in origin) out.Input = origin.Input;
        }
        break;
      }
      case HistoryEventType.TimerFired:
        delete out.TimerId;
        break;
      default:
        break;
    }
    if ("Result" in out) {
      if (showOutput) out.Result = parseJsonLenient(out.Result as string | null);
      else delete out.Result;
    }
    if (!showInput) delete out.Input;
    result.push(out);
  }
  return result;
}
