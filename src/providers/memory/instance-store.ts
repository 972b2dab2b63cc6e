import type { HistoryEvent } from "../../protocol/history";
import type { InstanceState, OrchestrationCheckpoint } from "../task-hub";

export type HistoryUpdate = NonNullable<OrchestrationCheckpoint["history"]>;

interface StoredHistory {
  executionId: string;
  events: HistoryEvent[];
}

/**
 * The Instances and History tables: one status row and the history of the latest execution
 * per instance. Stores what it is given; copying at the boundary is the hub's job.
 */
export class InstanceStore {
  private readonly states = new Map<string, InstanceState>();
  private readonly histories = new Map<string, StoredHistory>();

  getState(instanceId: string): InstanceState | undefined {
    return this.states.get(instanceId);
  }

  setState(state: InstanceState): void {
    this.states.set(state.instanceId, state);
  }

  allStates(): IterableIterator<InstanceState> {
    return this.states.values();
  }

  /** The stored history, or undefined when there is none or it belongs to another execution. */
  getHistory(instanceId: string, executionId?: string): readonly HistoryEvent[] | undefined {
    const history = this.histories.get(instanceId);
    if (!history || (executionId !== undefined && history.executionId !== executionId)) return undefined;
    return history.events;
  }

  /**
   * Throws when `update` cannot be applied, before anything is written: appending must extend
   * exactly the stored events, like the History table's ETag check would insist.
   */
  validateHistoryUpdate(instanceId: string, update: HistoryUpdate): void {
    const { events, newEventCount } = update;
    if (!Number.isInteger(newEventCount) || newEventCount < 0 || newEventCount > events.length) {
      throw new RangeError(`newEventCount ${newEventCount} is out of range for ${events.length} events.`);
    }
    const stored = this.histories.get(instanceId);
    if (this.replaces(stored, update)) return;
    const expected = events.length - newEventCount;
    const storedCount = stored?.events.length ?? 0;
    if (storedCount !== expected) {
      throw new Error(
        `History conflict for instance '${instanceId}': the checkpoint extends ${expected} events ` +
          `but ${storedCount} are stored.`,
      );
    }
  }

  applyHistoryUpdate(instanceId: string, update: HistoryUpdate): void {
    const stored = this.histories.get(instanceId);
    if (!stored || this.replaces(stored, update)) {
      this.histories.set(instanceId, { executionId: update.executionId, events: [...update.events] });
      return;
    }
    stored.events.push(...update.events.slice(update.events.length - update.newEventCount));
  }

  /** Removes the row and the history; true when there was either. */
  delete(instanceId: string): boolean {
    const hadState = this.states.delete(instanceId);
    const hadHistory = this.histories.delete(instanceId);
    return hadState || hadHistory;
  }

  clear(): void {
    this.states.clear();
    this.histories.clear();
  }

  /** Whether the update starts the instance's history over instead of appending to it. */
  replacesHistory(instanceId: string, update: HistoryUpdate | undefined): boolean {
    return update !== undefined && this.replaces(this.histories.get(instanceId), update);
  }

  private replaces(stored: StoredHistory | undefined, update: HistoryUpdate): boolean {
    return update.rewritten === true || (stored !== undefined && stored.executionId !== update.executionId);
  }
}
