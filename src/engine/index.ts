export * from "./activity-runner";
export * from "./client";
export * from "./errors";
export * from "./invoker";
export * from "./status-body";
export * from "./value-limits";
export * from "./worker";
export { OrchestrationRunner, defaultRunnerSettings } from "./orchestration/orchestration-runner";
export type { OrchestrationRunnerSettings } from "./orchestration/orchestration-runner";
export { EntityRunner, defaultEntityRunnerSettings } from "./entities/entity-runner";
export type { EntityRunnerSettings } from "./entities/entity-runner";
export { EntityClient } from "./entities/entity-client";
export type {
  CleanEntityStorageResult,
  EntityMetadata,
  EntityQuery,
  EntityQueryPage,
  EntityStateResult,
} from "./entities/entity-client";
