import { TableClient } from "@azure/data-tables";
import { HistoryEventType } from "../../../../src/protocol/history";
import {
  OFFLOADABLE_PROPERTIES,
  entityToHistoryEvent,
  historyEventToEntity,
} from "../../../../src/providers/azure-storage/history-entity";
import { historyRowKey } from "../../../../src/providers/azure-storage/names";
import { testStorageConnectionString } from "../../../support/test-storage";
import { eventLabel, failure, plainStart, sampleEvents, sampleOf } from "./sample-events";

const row = { partitionKey: "child^01", rowKey: "0000000000000005", executionId: "exec-2" };

/** An entity as @azure/data-tables hands it back by default: Int32 as numbers, DateTimes as Dates. */
function asRead(entity: Record<string, unknown>): Record<string, unknown> {
  const read: Record<string, unknown> = { etag: 'W/"x"', timestamp: "2024-05-01T10:00:01.0000000Z" };
  for (const [key, value] of Object.entries(entity)) {
    read[key] =
      value !== null && typeof value === "object" && "value" in value && "type" in value
        ? value.value
        : value;
  }
  return read;
}

describe("historyEventToEntity and entityToHistoryEvent", () => {
  it.each(sampleEvents.map((event) => [eventLabel(event), event] as const))(
    "round-trip a %s event",
    (_label, event) => {
      const entity = historyEventToEntity(event, row);
      expect(entityToHistoryEvent(entity)).toStrictEqual(event);
      expect(entityToHistoryEvent(asRead(entity))).toStrictEqual(event);
    },
  );
});

describe("historyEventToEntity", () => {
  it("writes the base columns with the enum name, an Int32 EventId and a DateTime _Timestamp", () => {
    const entity = historyEventToEntity(sampleOf(HistoryEventType.TaskCompleted), row);
    expect(entity).toStrictEqual({
      partitionKey: "child^01",
      rowKey: "0000000000000005",
      EventType: "TaskCompleted",
      EventId: { value: -1, type: "Int32" },
      IsPlayed: false,
      _Timestamp: new Date("2024-05-01T10:00:00.123Z"),
      ExecutionId: "exec-2",
      TaskScheduledId: { value: 0, type: "Int32" },
      Result: '"Hello x"',
    });
  });

  it("writes objects as JSON text, null objects as the text null, and leaves null strings out", () => {
    const entity = historyEventToEntity(plainStart, row);
    expect(entity).toMatchObject({
      EventType: "ExecutionStarted",
      OrchestrationInstance: '{"InstanceId":"plain","ExecutionId":"exec-1"}',
      ParentInstance: "null",
      Tags: "null",
      ParentTraceContext: "null",
      Name: "Plain",
      Generation: { value: 0, type: "Int32" },
    });
    for (const column of ["Version", "Input", "Correlation", "ScheduledStartTime"]) {
      expect(entity).not.toHaveProperty(column);
    }
  });

  it("writes ScheduledStartTime and FireAt as DateTimes", () => {
    expect(historyEventToEntity(sampleOf(HistoryEventType.ExecutionStarted), row).ScheduledStartTime).toEqual(
      new Date("2024-05-02T00:00:00.000Z"),
    );
    expect(historyEventToEntity(sampleOf(HistoryEventType.TimerFired), row)).toMatchObject({
      TimerId: { value: 3, type: "Int32" },
      FireAt: new Date("2024-05-08T10:00:00.000Z"),
    });
  });

  it("writes OrchestrationStatus by name and FailureDetails as JSON", () => {
    const entity = historyEventToEntity(sampleOf(HistoryEventType.ExecutionCompleted), row);
    expect(entity.OrchestrationStatus).toBe("Failed");
    expect(JSON.parse(entity.FailureDetails as string)).toEqual(failure);
    expect(entity).not.toHaveProperty("Result");
  });

  it("lists the columns that may move to a blob", () => {
    expect(OFFLOADABLE_PROPERTIES).toEqual([
      "Name",
      "Input",
      "Result",
      "Output",
      "Reason",
      "Details",
      "Correlation",
      "FailureDetails",
      "Tags",
    ]);
  });
});

describe("entityToHistoryEvent", () => {
  const timerRow = {
    partitionKey: "i",
    rowKey: "0000000000000001",
    EventType: "TimerFired",
    EventId: -1,
    IsPlayed: true,
    _Timestamp: "2024-05-01T10:00:00.1234567Z",
    ExecutionId: "e",
    TimerId: 4,
    FireAt: new Date("2024-05-08T10:00:00.000Z"),
  };

  it("reads DateTimes given as Dates or as 7-digit strings, at millisecond precision", () => {
    expect(entityToHistoryEvent(timerRow)).toStrictEqual({
      EventType: HistoryEventType.TimerFired,
      EventId: -1,
      IsPlayed: true,
      Timestamp: "2024-05-01T10:00:00.123Z",
      TimerId: 4,
      FireAt: "2024-05-08T10:00:00.000Z",
    });
  });

  it("reads the typed values the SDK returns with type conversion disabled", () => {
    const untyped = {
      ...timerRow,
      EventType: { value: "TimerFired", type: "String" },
      EventId: { value: "-1", type: "Int32" },
      IsPlayed: { value: "true", type: "Boolean" },
      _Timestamp: { value: "2024-05-01T10:00:00.1234567Z", type: "DateTime" },
      TimerId: { value: "4", type: "Int32" },
      FireAt: { value: "2024-05-08T10:00:00.0000000Z", type: "DateTime" },
    };
    expect(entityToHistoryEvent(untyped)).toStrictEqual(entityToHistoryEvent(timerRow));
  });

  it("reads missing nullable columns as null and a missing Generation as 0", () => {
    const event = entityToHistoryEvent({
      EventType: "ExecutionStarted",
      EventId: -1,
      IsPlayed: false,
      _Timestamp: new Date("2024-01-01T00:00:00.000Z"),
      OrchestrationInstance: '{"InstanceId":"i","ExecutionId":"e"}',
      Name: "Orch",
    });
    expect(event).toMatchObject({
      Version: null,
      Input: null,
      Tags: null,
      ParentInstance: null,
      ScheduledStartTime: null,
      Generation: 0,
    });
  });

  it.each([
    ["an unknown event type", { ...timerRow, EventType: "ExecutionRewound" }, /unsupported EventType/],
    ["no _Timestamp", { ...timerRow, _Timestamp: undefined }, /no _Timestamp column/],
    ["no TimerId", { ...timerRow, TimerId: undefined }, /no TimerId column/],
    [
      "an unknown status",
      { ...timerRow, EventType: "ExecutionCompleted", OrchestrationStatus: "Sleeping" },
      /unknown OrchestrationStatus: "Sleeping"/,
    ],
    [
      "a JSON column that is not JSON",
      { ...timerRow, EventType: "HistoryState", State: "{oops" },
      /State column that is not JSON/,
    ],
  ])("rejects a row with %s, naming the row", (_what, entity, error) => {
    expect(() => entityToHistoryEvent(entity)).toThrow(error);
    expect(() => entityToHistoryEvent(entity)).toThrow(/History row \("i", "0000000000000001"\)/);
  });
});

describe("history rows in Azurite", () => {
  it("come back as the events that were written", async () => {
    const table = TableClient.fromConnectionString(
      testStorageConnectionString(),
      `HistoryCodec${Date.now()}`,
      {
        allowInsecureConnection: true,
      },
    );
    await table.createTable();
    try {
      const entities = sampleEvents.map((event, i) =>
        historyEventToEntity(event, { partitionKey: "p", rowKey: historyRowKey(i), executionId: "e" }),
      );
      await table.submitTransaction(entities.map((entity) => ["create", entity]));

      const typed: unknown[] = [];
      for await (const entity of table.listEntities()) typed.push(entityToHistoryEvent(entity));
      expect(typed).toStrictEqual(sampleEvents);

      const untyped: unknown[] = [];
      for await (const entity of table.listEntities({ disableTypeConversion: true })) {
        untyped.push(entityToHistoryEvent(entity));
      }
      expect(untyped).toStrictEqual(sampleEvents);
    } finally {
      await table.deleteTable();
    }
  });
});
