import * as events from "../../../src/engine/history-events";
import {
  UnsupportedHistoryEventError,
  fromWireHistoryEvent,
  toWireHistoryEvent,
} from "../../../src/protocol/grpc/history-events";
import { pb } from "../../../src/protocol/grpc/wire";
import { HistoryEventType, OrchestrationStatusCode, type HistoryEvent } from "../../../src/protocol/history";

const at = "2026-01-02T03:04:05.678Z";
const failure = {
  ErrorType: "Error",
  ErrorMessage: "boom",
  StackTrace: "at line 1",
  InnerFailure: {
    ErrorType: "Inner",
    ErrorMessage: "cause",
    StackTrace: null,
    InnerFailure: null,
    IsNonRetriable: true,
    Properties: null,
  },
  IsNonRetriable: false,
  Properties: null,
};

/** Through the bytes, as the SDK would receive and send it. */
function viaWire(event: HistoryEvent): HistoryEvent {
  const wire = toWireHistoryEvent(event);
  if (!wire) throw new Error("dropped");
  return fromWireHistoryEvent(pb.HistoryEvent.deserializeBinary(wire.serializeBinary()));
}

describe("history events on the Durable Task wire", () => {
  it.each<[string, HistoryEvent]>([
    ["OrchestratorStarted", events.orchestratorStarted(at)],
    [
      "ExecutionStarted",
      events.executionStarted({
        instanceId: "abc",
        executionId: "e1",
        name: "seq",
        input: '{"a":1}',
        version: "2.0",
        scheduledStartTime: "2026-02-01T00:00:00.000Z",
        timestamp: at,
      }),
    ],
    ["TaskScheduled", events.taskScheduled(3, "say", '"Tokyo"', at)],
    [
      "TaskCompleted",
      {
        EventType: HistoryEventType.TaskCompleted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: at,
        TaskScheduledId: 3,
        Result: '"hi"',
      },
    ],
    [
      "TaskFailed",
      {
        EventType: HistoryEventType.TaskFailed,
        EventId: -1,
        IsPlayed: false,
        Timestamp: at,
        TaskScheduledId: 2,
        Reason: "boom",
        Details: "at line 1",
        FailureDetails: failure,
      },
    ],
    ["ExecutionCompleted", events.executionCompleted(OrchestrationStatusCode.Failed, "boom", at, failure)],
  ])("%s keeps its fields", (_name, event) => {
    expect(viaWire(event)).toEqual(event);
  });

  it("keeps event ids and timestamps to the millisecond", () => {
    const wire = toWireHistoryEvent(events.taskScheduled(7, "say", null, at));
    expect(wire?.getEventid()).toBe(7);
    expect(wire?.getTimestamp()?.toDate().toISOString()).toBe(at);
    expect(wire?.getTaskscheduled()?.hasInput()).toBe(false);
  });

  it("sends a result-less completion without a result, and reads it back as empty", () => {
    const none: HistoryEvent = {
      EventType: HistoryEventType.TaskCompleted,
      EventId: -1,
      IsPlayed: false,
      Timestamp: at,
      TaskScheduledId: 1,
      Result: "",
    };
    expect(toWireHistoryEvent(none)?.getTaskcompleted()?.hasResult()).toBe(false);
    expect(viaWire(none)).toEqual(none);
  });

  it("drops OrchestratorCompleted, which the SDKs do not read", () => {
    expect(toWireHistoryEvent(events.orchestratorCompleted(at))).toBeUndefined();
  });

  it("refuses an event it cannot carry yet, naming it", () => {
    const raised: HistoryEvent = {
      EventType: HistoryEventType.EventRaised,
      EventId: -1,
      IsPlayed: false,
      Timestamp: at,
      Name: "go",
      Input: null,
    };
    expect(() => toWireHistoryEvent(raised)).toThrow(UnsupportedHistoryEventError);
    expect(() => toWireHistoryEvent(raised)).toThrow(/EventRaised/);
  });
});
