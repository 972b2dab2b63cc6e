import type { ActionDraft } from "../actions";
import { DurableTask } from "./durable-task";
import type { TaskKey } from "./task-base";

/** One action, completed by one history event: an activity, sub-orchestration, entity call, event... */
export class AtomicTask extends DurableTask {
  constructor(id: TaskKey, action: ActionDraft) {
    super(id, action);
  }
}
