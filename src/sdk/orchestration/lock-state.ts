import type { EntityId } from "../entity-id";

/** Whether the orchestration is inside a critical section, and over which entities. */
export class LockState {
  constructor(
    public readonly isLocked: boolean,
    public readonly ownedLocks: EntityId[],
  ) {}
}
