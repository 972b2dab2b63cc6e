import { HistoryEventType, OrchestrationStatusCode } from "../../../../src/protocol/history";
import {
  MAX_QUEUE_MESSAGE_BYTES,
  decodeMessageData,
  encodeLargeMessageWrapper,
  encodeMessageData,
  largeMessageBlobName,
  utf8ByteLength,
  type DecodedMessageData,
} from "../../../../src/providers/azure-storage/message-data";
import type { TaskMessage } from "../../../../src/providers/task-hub";
import { eventRaisedEvent, messageTo, startMessage } from "../../../support/messages";
import { eventLabel, sampleEvents, sampleOf } from "./sample-events";

const ACTIVITY_ID = "0c3e5d7a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
const meta = { activityId: ACTIVITY_ID, sequenceNumber: 42 };

function encodeToJson(message: TaskMessage): Record<string, unknown> {
  return JSON.parse(encodeMessageData(message, meta)) as Record<string, unknown>;
}

function decodedMessage(decoded: DecodedMessageData): TaskMessage {
  if (decoded.kind !== "message") throw new Error(`Expected a message, got ${decoded.kind}.`);
  return decoded.message;
}

describe("encodeMessageData and decodeMessageData", () => {
  it("covers every event type", () => {
    const covered = new Set(sampleEvents.map((event) => event.EventType));
    const all = Object.values(HistoryEventType).filter((value) => typeof value === "number");
    const missing = all.filter((type) => type !== HistoryEventType.ExecutionFailed && !covered.has(type));
    expect(missing).toEqual([]);
  });

  it.each(sampleEvents.map((event) => [eventLabel(event), event] as const))(
    "round-trips a %s message",
    (_label, event) => {
      const message: TaskMessage = { event, instance: { instanceId: "target/1", executionId: "exec-1" } };
      const decoded = decodeMessageData(encodeMessageData(message, meta));
      expect(decoded).toStrictEqual({
        kind: "message",
        message,
        sequenceNumber: 42,
        activityId: ACTIVITY_ID,
      });
    },
  );

  it("round-trips the optional sender, episode and delivery time", () => {
    const message = messageTo("target", eventRaisedEvent("e", 1), {
      executionId: null,
      sender: { instanceId: "sender", executionId: "exec-9" },
      episode: 3,
      visibleAt: "2024-06-01T12:34:56.789Z",
    });
    expect(decodedMessage(decodeMessageData(encodeMessageData(message, meta)))).toStrictEqual(message);
  });

  it("round-trips a start message built by the test builders", () => {
    const message = startMessage({
      instanceId: "i",
      input: { a: [1, 2] },
      visibleAt: "2024-01-02T00:00:00.000Z",
    });
    expect(decodedMessage(decodeMessageData(encodeMessageData(message, meta)))).toStrictEqual(message);
  });
});

describe("encodeMessageData", () => {
  it("writes the Newtonsoft shape a .NET worker reads", () => {
    const event = sampleOf(HistoryEventType.ExecutionStarted);
    const message: TaskMessage = { event, instance: { instanceId: "child/1", executionId: null } };
    const json = encodeToJson(message);
    expect(json).toStrictEqual({
      $type: "DurableTask.AzureStorage.MessageData",
      ActivityId: ACTIVITY_ID,
      TaskMessage: {
        $type: "DurableTask.Core.TaskMessage",
        Event: expect.objectContaining({
          $type: "DurableTask.Core.History.ExecutionStartedEvent",
          EventType: 0,
          Timestamp: "2024-05-01T10:00:00.1230000Z",
          ScheduledStartTime: "2024-05-02T00:00:00.0000000Z",
          OrchestrationInstance: {
            $type: "DurableTask.Core.OrchestrationInstance",
            InstanceId: "child/1",
            ExecutionId: "exec-2",
          },
          ParentInstance: expect.objectContaining({
            OrchestrationInstance: expect.objectContaining({
              $type: "DurableTask.Core.OrchestrationInstance",
            }),
          }),
        }),
        SequenceNumber: 0,
        OrchestrationInstance: {
          $type: "DurableTask.Core.OrchestrationInstance",
          InstanceId: "child/1",
          ExecutionId: null,
        },
        OrchestrationExecutionContext: null,
      },
      CompressedBlobName: null,
      SequenceNumber: 42,
      SerializableTraceContext: null,
    });
  });

  it("writes Sender without a $type, Episode, and VisibleAt as a 7-digit DateTime", () => {
    const json = encodeToJson(
      messageTo("t", eventRaisedEvent("e"), {
        sender: { instanceId: "s", executionId: "x" },
        episode: 2,
        visibleAt: "2024-06-01T00:00:00.5Z",
      }),
    );
    expect(json.Sender).toStrictEqual({ InstanceId: "s", ExecutionId: "x" });
    expect(json.Episode).toBe(2);
    expect(json.VisibleAt).toBe("2024-06-01T00:00:00.5000000Z");
  });

  it("keeps enums as integers", () => {
    const completed = sampleOf(HistoryEventType.ExecutionCompleted);
    const json = encodeToJson(messageTo("t", completed));
    const taskMessage = json.TaskMessage as { Event: Record<string, unknown> };
    expect(taskMessage.Event.EventType).toBe(1);
    expect(taskMessage.Event.OrchestrationStatus).toBe(OrchestrationStatusCode.Failed);
  });

  it("writes the DTFx class name of every event", () => {
    const names = sampleEvents.map((e) => {
      const taskMessage = encodeToJson(messageTo("t", e)).TaskMessage as { Event: { $type: string } };
      return taskMessage.Event.$type.replace("DurableTask.Core.History.", "");
    });
    expect(new Set(names)).toEqual(
      new Set([
        "ExecutionStartedEvent",
        "ExecutionCompletedEvent",
        "ExecutionTerminatedEvent",
        "TaskScheduledEvent",
        "TaskCompletedEvent",
        "TaskFailedEvent",
        "SubOrchestrationInstanceCreatedEvent",
        "SubOrchestrationInstanceCompletedEvent",
        "SubOrchestrationInstanceFailedEvent",
        "TimerCreatedEvent",
        "TimerFiredEvent",
        "OrchestratorStartedEvent",
        "OrchestratorCompletedEvent",
        "EventSentEvent",
        "EventRaisedEvent",
        "ContinueAsNewEvent",
        "GenericEvent",
        "HistoryStateEvent",
        "ExecutionSuspendedEvent",
        "ExecutionResumedEvent",
      ]),
    );
  });

  it("leaves out Sender, Episode and VisibleAt when the message has none", () => {
    const json = encodeToJson(messageTo("t", eventRaisedEvent("e")));
    expect(json).not.toHaveProperty("Sender");
    expect(json).not.toHaveProperty("Episode");
    expect(json).not.toHaveProperty("VisibleAt");
  });
});

describe("decodeMessageData", () => {
  // The shape a .NET worker sends: 7-digit times, $type on nested objects, empty client sender.
  const dotNetBody = JSON.stringify({
    $type: "DurableTask.AzureStorage.MessageData",
    ActivityId: ACTIVITY_ID,
    TaskMessage: {
      $type: "DurableTask.Core.TaskMessage",
      Event: {
        $type: "DurableTask.Core.History.ExecutionStartedEvent",
        OrchestrationInstance: {
          $type: "DurableTask.Core.OrchestrationInstance",
          InstanceId: "abc",
          ExecutionId: "e1",
        },
        EventType: 0,
        ParentInstance: null,
        Name: "Hello",
        Version: "",
        Input: "null",
        Tags: {
          $type:
            "System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[System.String, System.Private.CoreLib]]",
          k: "v",
        },
        Correlation: null,
        ParentTraceContext: null,
        ScheduledStartTime: null,
        Generation: 1,
        EventId: -1,
        IsPlayed: false,
        Timestamp: "2023-04-05T03:31:23.6268922Z",
      },
      SequenceNumber: 0,
      OrchestrationInstance: {
        $type: "DurableTask.Core.OrchestrationInstance",
        InstanceId: "abc",
        ExecutionId: "e1",
      },
      OrchestrationExecutionContext: null,
    },
    CompressedBlobName: null,
    SequenceNumber: 7,
    Sender: { InstanceId: "", ExecutionId: "" },
    SerializableTraceContext: null,
  });

  it("reads what a .NET worker writes", () => {
    const decoded = decodeMessageData(dotNetBody);
    expect(decoded).toMatchObject({ kind: "message", sequenceNumber: 7, activityId: ACTIVITY_ID });
    const message = decodedMessage(decoded);
    expect(message.instance).toEqual({ instanceId: "abc", executionId: "e1" });
    expect(message.event).toMatchObject({
      EventType: HistoryEventType.ExecutionStarted,
      Timestamp: "2023-04-05T03:31:23.626Z",
      OrchestrationInstance: { InstanceId: "abc", ExecutionId: "e1" },
      Tags: { k: "v" },
    });
    expect(JSON.stringify(message)).not.toContain("$type");
  });

  it("treats an empty sender as no sender", () => {
    expect(decodedMessage(decodeMessageData(dotNetBody)).sender).toBeUndefined();
    expect("sender" in decodedMessage(decodeMessageData(dotNetBody))).toBe(false);
  });

  it("accepts a base64 body", () => {
    const base64 = Buffer.from(dotNetBody, "utf8").toString("base64");
    expect(decodeMessageData(base64)).toEqual(decodeMessageData(dotNetBody));
  });

  it("reads a DateTime without a zone as UTC", () => {
    const body = dotNetBody.replace("2023-04-05T03:31:23.6268922Z", "2023-04-05T03:31:23.6268922");
    expect(decodedMessage(decodeMessageData(body)).event.Timestamp).toBe("2023-04-05T03:31:23.626Z");
  });

  it("reads a null execution id as one that targets the current execution", () => {
    const body = encodeMessageData(messageTo("t", eventRaisedEvent("e")), meta);
    expect(decodedMessage(decodeMessageData(body)).instance).toEqual({ instanceId: "t", executionId: null });
  });

  it.each([
    ["not JSON", "{not json", /not MessageData JSON/],
    ["not an object", "[1]", /not MessageData JSON|not a JSON object/],
    [
      "no TaskMessage",
      JSON.stringify({ ActivityId: ACTIVITY_ID, SequenceNumber: 0, TaskMessage: null }),
      /TaskMessage/,
    ],
    [
      "an unknown event type",
      dotNetBody.replace('"EventType":0', '"EventType":21'),
      /unsupported EventType: 21/,
    ],
    ["a bad timestamp", dotNetBody.replace("2023-04-05T03:31:23.6268922Z", "yesterday"), /Timestamp/],
    [
      "no instance id",
      dotNetBody.replace(
        /"InstanceId":"abc","ExecutionId":"e1"},"OrchestrationExecutionContext"/,
        '"ExecutionId":"e1"},"OrchestrationExecutionContext"',
      ),
      /InstanceId is missing/,
    ],
    ["no ActivityId", dotNetBody.replace(`"ActivityId":"${ACTIVITY_ID}",`, ""), /ActivityId/],
  ])("rejects a body with %s", (_what, body, error) => {
    expect(() => decodeMessageData(body)).toThrow(error);
  });
});

describe("large messages", () => {
  it("names the blob after the instance, the activity id and the event type", () => {
    expect(largeMessageBlobName("my/instance", ACTIVITY_ID, HistoryEventType.ExecutionStarted)).toBe(
      "my/instance/message-0c3e5d7a1b2c4d5e8f90a1b2c3d4e5f6-ExecutionStarted.json.gz",
    );
  });

  it("sends a wrapper that points at the blob", () => {
    const body = encodeLargeMessageWrapper("i/message-x-TaskCompleted.json.gz");
    expect(JSON.parse(body)).toStrictEqual({
      $type: "DurableTask.AzureStorage.MessageData",
      ActivityId: "00000000-0000-0000-0000-000000000000",
      TaskMessage: null,
      CompressedBlobName: "i/message-x-TaskCompleted.json.gz",
      SequenceNumber: 0,
      SerializableTraceContext: null,
    });
    expect(decodeMessageData(body)).toEqual({ kind: "blob", blobName: "i/message-x-TaskCompleted.json.gz" });
  });

  it("measures the queue limit in UTF-8 bytes", () => {
    expect(MAX_QUEUE_MESSAGE_BYTES).toBe(46080);
    expect(utf8ByteLength("abc")).toBe(3);
    expect(utf8ByteLength("é")).toBe(2);
    expect(utf8ByteLength("😀")).toBe(4);
  });
});
