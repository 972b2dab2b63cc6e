import type { ActionDraft } from "../actions";
import { workOfAction, type ScheduledWork } from "../replay/scheduled-work";
import { TaskBase, type TaskKey } from "./task-base";

/** A task the orchestrator can yield: it stands for an action of OrchestratorState. */
export abstract class DurableTask extends TaskBase {
  /** Set once the task was yielded and its action recorded; it is never recorded twice. */
  alreadyScheduled = false;

  protected constructor(
    id: TaskKey,
    private readonly actionDraft: ActionDraft,
  ) {
    super(id);
  }

  get action(): ActionDraft {
    return this.actionDraft;
  }

  scheduledWork(): ScheduledWork | undefined {
    return workOfAction(this.actionDraft);
  }
}
