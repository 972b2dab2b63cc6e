export * from "./activity-runner";
export * from "./client";
export * from "./errors";
export * from "./invoker";
export * from "./status-body";
export * from "./worker";
export { OrchestrationRunner, defaultRunnerSettings } from "./orchestration/orchestration-runner";
export type { OrchestrationRunnerSettings } from "./orchestration/orchestration-runner";
