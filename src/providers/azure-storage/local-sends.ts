/** How long a locally sent message may hold its instance back before it is given up on. */
const MAX_HOLD_MS = 2000;
/** Enough to cover the receives that can race with one send. */
const RECENT_RECEIVES = 4096;

/**
 * Messages this process sent to a control queue it polls and has not received back yet, per
 * instance. An instance with such a message is held back briefly, so that messages sent
 * together (a start and its first events, a burst of activity results) reach one work item
 * instead of trickling into several episodes.
 */
export class LocalSends {
  private readonly expected = new Map<string, Map<string, number>>();
  /** A receive can return a message before its send call does; remember the last few ids. */
  private readonly recent = new Set<string>();

  sent(instanceId: string, messageId: string, nowMs: number): void {
    if (this.recent.has(messageId)) return;
    let ids = this.expected.get(instanceId);
    if (!ids) this.expected.set(instanceId, (ids = new Map()));
    ids.set(messageId, nowMs);
  }

  received(instanceId: string, messageId: string): void {
    this.recent.add(messageId);
    if (this.recent.size > RECENT_RECEIVES) this.recent.delete(this.recent.values().next().value as string);
    const ids = this.expected.get(instanceId);
    if (!ids) return;
    ids.delete(messageId);
    if (ids.size === 0) this.expected.delete(instanceId);
  }

  /** True when nothing this process sent to the instance is still on its way. */
  isSettled(instanceId: string, nowMs: number): boolean {
    const ids = this.expected.get(instanceId);
    if (!ids) return true;
    for (const [messageId, sentAtMs] of ids) {
      if (nowMs - sentAtMs < MAX_HOLD_MS) return false;
      ids.delete(messageId);
    }
    this.expected.delete(instanceId);
    return true;
  }

  clear(): void {
    this.expected.clear();
  }
}
