import type { VirtualClock } from "./virtual-clock";

export interface IdleProbe {
  /** True when no message is visible and no work item is locked. */
  isIdle(): boolean;
  /** Epoch milliseconds when the next delayed message becomes visible. */
  nextVisibleMs(): number | undefined;
}

/**
 * Skips virtual time forward while a hub has nothing to do, so a week-long timer fires as soon
 * as everything else has settled. The hub must stay idle for a whole macrotask turn with no
 * activity at all: work that is between two hub calls (an await chain, an I/O callback) would
 * otherwise see the clock jump under it.
 */
export class AutoAdvance {
  private epoch = 0;
  private scheduled = false;
  private enabled = true;

  constructor(
    private readonly clock: VirtualClock,
    private readonly probe: IdleProbe,
  ) {}

  /** Records that something happened, and looks again one turn later. */
  noteActivity(): void {
    this.epoch++;
    this.schedule();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (enabled) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || !this.enabled) return;
    this.scheduled = true;
    const epoch = this.epoch;
    setImmediate(() => {
      this.scheduled = false;
      this.advanceIfQuiet(epoch);
    });
  }

  private advanceIfQuiet(epoch: number): void {
    if (!this.enabled) return;
    if (epoch !== this.epoch) {
      this.schedule();
      return;
    }
    // Not idle: whatever ends the work (complete, abandon) is activity and schedules a new look.
    if (!this.probe.isIdle()) return;
    const next = this.probe.nextVisibleMs();
    if (next !== undefined) this.clock.advanceTo(next);
  }
}
