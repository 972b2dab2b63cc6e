import { HistoryEventType, type HistoryEvent, type OrchestrationInstanceRef } from "../history";
import { pb } from "./wire";
import {
  fromFailureDetails,
  fromStringValue,
  fromTimestamp,
  toFailureDetails,
  toStringValue,
  toTimestamp,
} from "./wire-values";

/**
 * History events between our stored (DurableTask.AzureStorage) form and the Durable Task wire
 * form. A completion without a result is stored as an empty Result: the SDKs send JSON text,
 * which is never empty, so the two stay apart.
 */

export class UnsupportedHistoryEventError extends Error {
  constructor(description: string) {
    super(`The gRPC endpoint cannot carry ${description} yet.`);
    this.name = "UnsupportedHistoryEventError";
  }
}

/** The wire form of `event`; undefined for OrchestratorCompleted, which the SDKs never read. */
export function toWireHistoryEvent(event: HistoryEvent): pb.HistoryEvent | undefined {
  const wire = new pb.HistoryEvent();
  wire.setEventid(event.EventId);
  wire.setTimestamp(toTimestamp(event.Timestamp));
  switch (event.EventType) {
    case HistoryEventType.OrchestratorCompleted:
      return undefined;
    case HistoryEventType.OrchestratorStarted:
      wire.setOrchestratorstarted(new pb.OrchestratorStartedEvent());
      return wire;
    case HistoryEventType.ExecutionStarted: {
      const started = new pb.ExecutionStartedEvent();
      started.setName(event.Name);
      started.setVersion(toStringValue(event.Version));
      started.setInput(toStringValue(event.Input));
      started.setOrchestrationinstance(toWireInstance(event.OrchestrationInstance));
      if (event.ScheduledStartTime) started.setScheduledstarttimestamp(toTimestamp(event.ScheduledStartTime));
      wire.setExecutionstarted(started);
      return wire;
    }
    case HistoryEventType.TaskScheduled: {
      const scheduled = new pb.TaskScheduledEvent();
      scheduled.setName(event.Name);
      scheduled.setVersion(toStringValue(event.Version));
      scheduled.setInput(toStringValue(event.Input));
      wire.setTaskscheduled(scheduled);
      return wire;
    }
    case HistoryEventType.TaskCompleted: {
      const completed = new pb.TaskCompletedEvent();
      completed.setTaskscheduledid(event.TaskScheduledId);
      completed.setResult(toStringValue(event.Result === "" ? null : event.Result));
      wire.setTaskcompleted(completed);
      return wire;
    }
    case HistoryEventType.TaskFailed: {
      const failed = new pb.TaskFailedEvent();
      failed.setTaskscheduledid(event.TaskScheduledId);
      failed.setFailuredetails(
        toFailureDetails(
          event.FailureDetails ?? {
            ErrorType: "Error",
            ErrorMessage: event.Reason,
            StackTrace: event.Details || null,
            InnerFailure: null,
            IsNonRetriable: false,
            Properties: null,
          },
        ),
      );
      wire.setTaskfailed(failed);
      return wire;
    }
    case HistoryEventType.ExecutionCompleted: {
      const completed = new pb.ExecutionCompletedEvent();
      completed.setOrchestrationstatus(event.OrchestrationStatus as number as pb.OrchestrationStatus);
      completed.setResult(toStringValue(event.Result));
      if (event.FailureDetails) completed.setFailuredetails(toFailureDetails(event.FailureDetails));
      wire.setExecutioncompleted(completed);
      return wire;
    }
    default:
      throw new UnsupportedHistoryEventError(`history event ${HistoryEventType[event.EventType]}`);
  }
}

/** Our form of a wire event. */
export function fromWireHistoryEvent(wire: pb.HistoryEvent): HistoryEvent {
  const base = {
    EventId: wire.getEventid(),
    IsPlayed: false,
    Timestamp: fromTimestamp(wire.getTimestamp()) ?? new Date(0).toISOString(),
  };
  if (wire.hasOrchestratorstarted()) return { ...base, EventType: HistoryEventType.OrchestratorStarted };
  const started = wire.getExecutionstarted();
  if (started) {
    const instance = started.getOrchestrationinstance();
    return {
      ...base,
      EventType: HistoryEventType.ExecutionStarted,
      OrchestrationInstance: {
        InstanceId: instance?.getInstanceid() ?? "",
        ExecutionId: fromStringValue(instance?.getExecutionid()) ?? "",
      },
      ParentInstance: null,
      Name: started.getName(),
      Version: fromStringValue(started.getVersion()),
      Input: fromStringValue(started.getInput()),
      Tags: null,
      Correlation: null,
      ParentTraceContext: null,
      ScheduledStartTime: fromTimestamp(started.getScheduledstarttimestamp()),
      Generation: 0,
    };
  }
  const scheduled = wire.getTaskscheduled();
  if (scheduled) {
    return {
      ...base,
      EventType: HistoryEventType.TaskScheduled,
      Name: scheduled.getName(),
      Version: fromStringValue(scheduled.getVersion()),
      Input: fromStringValue(scheduled.getInput()),
    };
  }
  const completed = wire.getTaskcompleted();
  if (completed) {
    return {
      ...base,
      EventType: HistoryEventType.TaskCompleted,
      TaskScheduledId: completed.getTaskscheduledid(),
      Result: fromStringValue(completed.getResult()) ?? "",
    };
  }
  const failed = wire.getTaskfailed();
  if (failed) {
    const details = failed.getFailuredetails();
    const failure = details ? fromFailureDetails(details) : null;
    return {
      ...base,
      EventType: HistoryEventType.TaskFailed,
      TaskScheduledId: failed.getTaskscheduledid(),
      Reason: failure?.ErrorMessage ?? "",
      Details: failure?.StackTrace ?? "",
      FailureDetails: failure,
    };
  }
  const ended = wire.getExecutioncompleted();
  if (ended) {
    const details = ended.getFailuredetails();
    return {
      ...base,
      EventType: HistoryEventType.ExecutionCompleted,
      OrchestrationStatus: ended.getOrchestrationstatus() as number,
      Result: fromStringValue(ended.getResult()),
      FailureDetails: details ? fromFailureDetails(details) : null,
    };
  }
  throw new UnsupportedHistoryEventError(`the wire history event ${wire.getEventtypeCase()}`);
}

export function toWireInstance(instance: OrchestrationInstanceRef): pb.OrchestrationInstance {
  const wire = new pb.OrchestrationInstance();
  wire.setInstanceid(instance.InstanceId);
  wire.setExecutionid(toStringValue(instance.ExecutionId));
  return wire;
}
