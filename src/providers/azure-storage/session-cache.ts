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
  /**
   * The sentinel ETag of a history commit still in flight for `history` (whose own `etag` is
   * then unknown): the next commit waits for it, so commits of one instance keep their order.
   */
  committed?: Promise<string | undefined>;
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
  /** Executions this process's client just created, by instance: see `rememberStart`. */
  private readonly starts = new Map<string, { executionId: string; session: SessionState }>();

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
    this.trim(this.entries);
  }

  delete(instanceId: string): void {
    this.entries.delete(instanceId);
    this.starts.delete(instanceId);
  }

  clear(): void {
    this.entries.clear();
    this.starts.clear();
  }

  /**
   * A brand-new instance this process is starting: its first episode can begin from no history
   * and the Pending row being written, without reading either. Should history exist after all,
   * the commit's sentinel insert fails and the episode is retried from storage.
   */
  rememberStart(instanceId: string, executionId: string, session: SessionState): void {
    this.starts.delete(instanceId);
    this.starts.set(instanceId, { executionId, session });
    this.trim(this.starts);
  }

  /** The remembered start of this execution, once. */
  takeStart(instanceId: string, executionId: string): SessionState | undefined {
    const start = this.starts.get(instanceId);
    if (start?.executionId !== executionId) return undefined;
    this.starts.delete(instanceId);
    return start.session;
  }

  forgetStart(instanceId: string, executionId: string): void {
    if (this.starts.get(instanceId)?.executionId === executionId) this.starts.delete(instanceId);
  }

  /** Drops the least recently set entries beyond `maxEntries` (a Map keeps insertion order). */
  private trim(map: Map<string, unknown>): void {
    while (map.size > this.maxEntries) map.delete(map.keys().next().value as string);
  }
}
