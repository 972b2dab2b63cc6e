export * from "./actions";
export * from "./client-payload";
export * from "./entities";
export * from "./history";
export * from "./orchestrator-state";
export * from "./status";
