export type {
  DurableEntityContext,
  EntityContext,
  EntityHandler,
  EntityOptions,
  EntityTrigger,
} from "./entity-types";
export { EntityStateResponse } from "./entity-state-response";
export { DummyEntityContext } from "./dummy-entity-context";
export { createEntityHandler, type EntityBatchHandler } from "./entity-dispatcher";
