import { HistoryEventType, type HistoryEvent } from "../../protocol/history";
import type { EntityRequestMessage } from "../../protocol/entities";
import type { HandledGroup } from "./handled-requests";

/**
 * What an entity keeps between batches, stored as the input of its instance's one execution (as
 * DurableTask.Core's entity scheduler does): the user's state, the operations waiting their
 * turn, and the orchestration holding its lock. Property names and defaults follow that format.
 * `lockRequestId` and `handled` are ours: DurableTask.Core's readers ignore them, and a state it
 * wrote, without them, reads as an entity that handled nothing recently.
 */
export interface SchedulerState {
  exists?: boolean;
  /** The entity state as JSON text. */
  state?: string;
  /** Requests waiting, oldest first. */
  queue?: EntityRequestMessage[];
  /** The instance id of the orchestration holding the lock. */
  lockedBy?: string;
  /**
   * The lock request the holder was granted: only its release unlocks, so a release of an
   * earlier critical section that comes again cannot open a later one of the same holder.
   */
  lockRequestId?: string;
  /** The requests handled recently (see handled-requests.ts), so that one coming again is dropped. */
  handled?: HandledGroup[];
}

/** The entity's custom status: what listing entities needs without reading the state. */
export interface EntityStatus {
  entityExists?: boolean;
  queueSize?: number;
  lockedBy?: string;
}

/** Reads the scheduler state from the entity's history; a broken one reads as a new entity. */
export function readSchedulerState(history: readonly HistoryEvent[]): SchedulerState {
  const started = history.find((e) => e.EventType === HistoryEventType.ExecutionStarted);
  return parseSchedulerState(started?.EventType === HistoryEventType.ExecutionStarted ? started.Input : null);
}

export function parseSchedulerState(text: string | null | undefined): SchedulerState {
  return parseJsonObject<SchedulerState>(text) ?? {};
}

/** The object JSON text holds; undefined for anything else (missing, broken, not an object). */
export function parseJsonObject<T extends object>(text: string | null | undefined): T | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as T) : undefined;
  } catch {
    return undefined;
  }
}

/** JSON with defaults left out, so an idle entity's record stays small. */
export function serializeSchedulerState(scheduler: SchedulerState): string {
  return JSON.stringify({
    ...(scheduler.exists ? { exists: true } : {}),
    ...(scheduler.exists && scheduler.state !== undefined ? { state: scheduler.state } : {}),
    ...(scheduler.queue?.length ? { queue: scheduler.queue } : {}),
    ...(scheduler.lockedBy ? { lockedBy: scheduler.lockedBy } : {}),
    ...(scheduler.lockedBy && scheduler.lockRequestId ? { lockRequestId: scheduler.lockRequestId } : {}),
    ...(scheduler.handled?.length ? { handled: scheduler.handled } : {}),
  });
}

export function entityStatusOf(scheduler: SchedulerState): EntityStatus {
  return {
    ...(scheduler.exists ? { entityExists: true } : {}),
    ...(scheduler.queue?.length ? { queueSize: scheduler.queue.length } : {}),
    ...(scheduler.lockedBy ? { lockedBy: scheduler.lockedBy } : {}),
  };
}

/**
 * Not existing, nothing queued, not locked: nothing is lost by removing it but its record of
 * handled requests, which only matters within minutes of its last batch.
 */
export function isEmptyScheduler(scheduler: SchedulerState): boolean {
  return !scheduler.exists && !scheduler.queue?.length && !scheduler.lockedBy;
}
