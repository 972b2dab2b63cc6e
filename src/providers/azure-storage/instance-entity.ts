/**
 * The Instances table row of one instance (DurableTask.AzureStorage's OrchestrationInstanceStatus),
 * plus `ParentInstanceId`, which DTFx does not keep there but our queries need.
 */
import { RUNTIME_STATUS_NAMES, type RuntimeStatusName } from "../../protocol/status";
import type { InstanceState } from "../task-hub";
import { int32Column, readDate, readInt32, readString } from "./history-entity";
import { escapePartitionKey, unescapePartitionKey } from "./names";

export type InstanceEntity = { partitionKey: string; rowKey: string } & Record<string, unknown>;

// DTFx stores an unset CustomStatus, and null Tags, as the text "null" instead of leaving them out.
const NULL_TEXT = "null";

export function instanceStateToEntity(state: InstanceState, hubName: string): InstanceEntity {
  const entity: InstanceEntity = {
    partitionKey: escapePartitionKey(state.instanceId),
    rowKey: "",
    Name: state.name,
    RuntimeStatus: state.runtimeStatus,
    CustomStatus: state.customStatus ?? NULL_TEXT,
    CreatedTime: new Date(state.createdTime),
    LastUpdatedTime: new Date(state.lastUpdatedTime),
    ExecutionId: state.executionId,
    Generation: int32Column(state.generation),
    Tags: NULL_TEXT,
    TaskHubName: hubName,
  };
  // Null values are left out, as the .NET SDK leaves null properties out.
  if (state.version !== null) entity.Version = state.version;
  if (state.input !== null) entity.Input = state.input;
  if (state.output !== null) entity.Output = state.output;
  if (state.completedTime !== null) entity.CompletedTime = new Date(state.completedTime);
  if (state.scheduledStartTime !== null) entity.ScheduledStartTime = new Date(state.scheduledStartTime);
  if (state.parentInstanceId !== null) entity.ParentInstanceId = state.parentInstanceId;
  return entity;
}

export function entityToInstanceState(entity: Record<string, unknown>): InstanceState {
  const partitionKey = entity.partitionKey ?? entity.PartitionKey;
  if (typeof partitionKey !== "string") throw new Error("An Instances row has no PartitionKey.");
  const instanceId = unescapePartitionKey(partitionKey);
  const what = `The Instances row of '${instanceId}'`;

  const runtimeStatus = readString(entity, "RuntimeStatus");
  if (!RUNTIME_STATUS_NAMES.some((status) => status === runtimeStatus)) {
    throw new Error(`${what} has an unknown RuntimeStatus: ${JSON.stringify(runtimeStatus)}.`);
  }
  const createdTime = readDate(entity, "CreatedTime");
  if (createdTime === undefined) throw new Error(`${what} has no CreatedTime.`);
  const customStatus = readString(entity, "CustomStatus");

  return {
    instanceId,
    name: readString(entity, "Name") ?? "",
    version: readString(entity, "Version") ?? null,
    executionId: readString(entity, "ExecutionId") ?? "",
    runtimeStatus: runtimeStatus as RuntimeStatusName,
    input: readString(entity, "Input") ?? null,
    output: readString(entity, "Output") ?? null,
    customStatus: customStatus === undefined || customStatus === NULL_TEXT ? null : customStatus,
    createdTime,
    lastUpdatedTime: readDate(entity, "LastUpdatedTime") ?? createdTime,
    completedTime: readDate(entity, "CompletedTime") ?? null,
    parentInstanceId: readString(entity, "ParentInstanceId") ?? null,
    scheduledStartTime: readDate(entity, "ScheduledStartTime") ?? null,
    generation: readInt32(entity, "Generation") ?? 0,
  };
}
