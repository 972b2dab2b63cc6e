import type { LockEntitiesAction } from "../../../protocol";
import type { DurableLock } from "../../durable-lock";
import { AtomicTask } from "./atomic-task";

/** Waits until the host grants a critical section; its result is the DurableLock. */
export class LockTask extends AtomicTask {
  constructor(
    action: LockEntitiesAction,
    readonly lock: DurableLock,
  ) {
    super(false, action);
  }
}
