import type { InstanceState } from "../task-hub";
import type { InstanceTable, StoredInstance } from "./instance-table";

/** The status row an instance's writes start from: what was read, or the write before. */
export type RowPromise = Promise<StoredInstance | undefined>;

/**
 * Writes status rows after their episodes' history commits, off the instances' critical path:
 * the next episode of an instance may run while the row of the last one is being written.
 * Writes of one instance happen in commit order, each after the one before, so a row never
 * goes back in time; what must follow a row (telling waiters, deleting the episode's messages)
 * runs after it.
 */
export class StatusRowWriter {
  private readonly pending = new Map<string, Set<Promise<void>>>();

  constructor(
    private readonly instances: InstanceTable,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Queues `state` (nothing to write when undefined) after `previous`, then `after(written)`.
   * Returns the row as it will be once written, for the next write to start from, and the
   * moment `after` is done.
   */
  write(
    instanceId: string,
    state: InstanceState | undefined,
    previous: RowPromise,
    after: (written: boolean) => Promise<void>,
  ): { row: RowPromise; done: Promise<void> } {
    const row = previous
      .catch(() => undefined)
      .then((before) => (state ? this.instances.put(state, before) : before));
    const done = row.then(
      () => after(true),
      async (error: unknown) => {
        this.onError(error);
        await after(false);
      },
    );
    const tracked = done.catch((error: unknown) => this.onError(error));
    let set = this.pending.get(instanceId);
    if (!set) this.pending.set(instanceId, (set = new Set()));
    set.add(tracked);
    void tracked.finally(() => {
      set.delete(tracked);
      if (set.size === 0 && this.pending.get(instanceId) === set) this.pending.delete(instanceId);
    });
    return { row, done: tracked };
  }

  /** Resolves once every write queued so far for the instance (or, without one, for all) is done. */
  async settled(instanceId?: string): Promise<void> {
    const sets =
      instanceId === undefined ? [...this.pending.values()] : [this.pending.get(instanceId) ?? new Set()];
    await Promise.all(sets.flatMap((set) => [...set]));
  }
}
