import { TableClient } from "@azure/data-tables";
import {
  entityToInstanceState,
  instanceStateToEntity,
} from "../../../../src/providers/azure-storage/instance-entity";
import type { InstanceState } from "../../../../src/providers/task-hub";
import { instanceState } from "../../../support/messages";
import { testStorageConnectionString } from "../../../support/test-storage";

const pending = instanceState("plain", { runtimeStatus: "Pending" });

const completed: InstanceState = {
  instanceId: "sub/1?x#y",
  name: "Child",
  version: "2.0",
  executionId: "exec-7",
  runtimeStatus: "Completed",
  input: '{"a":1}',
  output: '"done"',
  customStatus: '{"step":3}',
  createdTime: "2024-05-01T10:00:00.123Z",
  lastUpdatedTime: "2024-05-01T10:05:00.456Z",
  completedTime: "2024-05-01T10:05:00.789Z",
  parentInstanceId: "parent",
  scheduledStartTime: "2024-05-01T09:00:00.000Z",
  generation: 3,
};

describe("instanceStateToEntity and entityToInstanceState", () => {
  it.each([
    ["with every field null", pending],
    ["with every field set", completed],
  ])("round-trip a state %s", (_what, state) => {
    expect(entityToInstanceState(instanceStateToEntity(state, "MyHub"))).toStrictEqual(state);
  });
});

describe("instanceStateToEntity", () => {
  it("writes the DTFx columns, keyed by the escaped instance id", () => {
    expect(instanceStateToEntity(completed, "MyHub")).toStrictEqual({
      partitionKey: "sub^01^3x^2y",
      rowKey: "",
      Name: "Child",
      Version: "2.0",
      Input: '{"a":1}',
      Output: '"done"',
      CustomStatus: '{"step":3}',
      RuntimeStatus: "Completed",
      CreatedTime: new Date("2024-05-01T10:00:00.123Z"),
      LastUpdatedTime: new Date("2024-05-01T10:05:00.456Z"),
      CompletedTime: new Date("2024-05-01T10:05:00.789Z"),
      ExecutionId: "exec-7",
      ScheduledStartTime: new Date("2024-05-01T09:00:00.000Z"),
      Generation: { value: 3, type: "Int32" },
      Tags: "null",
      TaskHubName: "MyHub",
      ParentInstanceId: "parent",
    });
  });

  it("writes a null custom status as the text null and leaves other nulls out", () => {
    const entity = instanceStateToEntity(pending, "MyHub");
    expect(entity.CustomStatus).toBe("null");
    for (const column of [
      "Version",
      "Input",
      "Output",
      "CompletedTime",
      "ScheduledStartTime",
      "ParentInstanceId",
    ]) {
      expect(entity).not.toHaveProperty(column);
    }
  });
});

describe("entityToInstanceState", () => {
  const row = {
    partitionKey: "abc",
    rowKey: "",
    etag: 'W/"x"',
    timestamp: "2024-01-01T00:00:01.0000000Z",
    Name: "Orch",
    RuntimeStatus: "Running",
    CreatedTime: "2024-01-01T00:00:00.1234567Z",
    LastUpdatedTime: new Date("2024-01-01T00:00:02.000Z"),
    ExecutionId: "e",
    Generation: 0,
    Tags: "null",
    TaskHubName: "MyHub",
  };

  it("reads a row written by DTFx, which has no CustomStatus until the first checkpoint", () => {
    expect(entityToInstanceState(row)).toStrictEqual({
      instanceId: "abc",
      name: "Orch",
      version: null,
      executionId: "e",
      runtimeStatus: "Running",
      input: null,
      output: null,
      customStatus: null,
      createdTime: "2024-01-01T00:00:00.123Z",
      lastUpdatedTime: "2024-01-01T00:00:02.000Z",
      completedTime: null,
      parentInstanceId: null,
      scheduledStartTime: null,
      generation: 0,
    });
  });

  it("reads the PascalCase keys and typed values of an untyped read", () => {
    const untyped = {
      PartitionKey: "a^1b",
      RowKey: "",
      Name: { value: "Orch", type: "String" },
      RuntimeStatus: { value: "Failed", type: "String" },
      CreatedTime: { value: "2024-01-01T00:00:00.0000000Z", type: "DateTime" },
      Generation: { value: "2", type: "Int32" },
    };
    expect(entityToInstanceState(untyped)).toMatchObject({
      instanceId: "a\\b",
      runtimeStatus: "Failed",
      lastUpdatedTime: "2024-01-01T00:00:00.000Z",
      generation: 2,
    });
  });

  it.each([
    ["no PartitionKey", { ...row, partitionKey: undefined }, /no PartitionKey/],
    [
      "an unknown status",
      { ...row, RuntimeStatus: "Sleeping" },
      /'abc' has an unknown RuntimeStatus: "Sleeping"/,
    ],
    ["no CreatedTime", { ...row, CreatedTime: undefined }, /'abc' has no CreatedTime/],
  ])("rejects a row with %s", (_what, entity, error) => {
    expect(() => entityToInstanceState(entity)).toThrow(error);
  });
});

describe("Instances rows in Azurite", () => {
  it("come back as the states that were written", async () => {
    const table = TableClient.fromConnectionString(
      testStorageConnectionString(),
      `InstanceCodec${Date.now()}`,
      {
        allowInsecureConnection: true,
      },
    );
    await table.createTable();
    try {
      for (const state of [pending, completed])
        await table.createEntity(instanceStateToEntity(state, "MyHub"));
      const read: InstanceState[] = [];
      for await (const entity of table.listEntities()) read.push(entityToInstanceState(entity));
      expect(read).toEqual(expect.arrayContaining([pending, completed]));
      expect(read).toHaveLength(2);
    } finally {
      await table.deleteTable();
    }
  });
});
