import type { InstanceState } from "../task-hub";
import type { LoadedHistory } from "./history-table";
import type { RowPromise } from "./status-row-writer";

/** What an episode starts from: the instance's committed history and its status row. */
export interface SessionState {
  history: LoadedHistory;
  /** The status row's state as the engine should see it (possibly still being written). */
  state: InstanceState | undefined;
  /** The stored row, once written: where the next row write starts from. */
  row: RowPromise;
}

/**
 * The history and status row each instance's last checkpoint in this process left behind, so
 * the next episode of an instance whose partition this process owns need not read them again.
 * Safe because every history commit is guarded by the sentinel ETag: an entry gone stale (the
 * partition moved away and back) fails its commit, the entry is dropped and the instance is
 * read afresh. Least recently used entries go first beyond `maxEntries`.
 */
export class SessionCache {
  private readonly entries = new Map<string, SessionState>();

  constructor(private readonly maxEntries = 1000) {}

  get(instanceId: string): SessionState | undefined {
    const entry = this.entries.get(instanceId);
    if (entry) {
      this.entries.delete(instanceId);
      this.entries.set(instanceId, entry);
    }
    return entry;
  }

  /** The entry without counting it as used. */
  peek(instanceId: string): SessionState | undefined {
    return this.entries.get(instanceId);
  }

  set(instanceId: string, state: SessionState): void {
    this.entries.delete(instanceId);
    this.entries.set(instanceId, state);
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  delete(instanceId: string): void {
    this.entries.delete(instanceId);
  }

  clear(): void {
    this.entries.clear();
  }
}
