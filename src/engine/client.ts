import type { HistoryEvent } from "../protocol/history";
import type { RuntimeStatusName } from "../protocol/status";
import type { InstanceQuery, InstanceQueryPage, InstanceState, TaskHub } from "../providers/task-hub";
import { EntityClient } from "./entities/entity-client";
import { InstanceNotFoundError, InstanceStatusError, isTerminalStatus } from "./errors";
import * as events from "./history-events";
import { hasForbiddenIdCharacter, newGuidN } from "./ids";
import {
  eventMessage,
  resumeMessage,
  rewindMessage,
  suspendMessage,
  terminateMessage,
} from "./orchestration/management-messages";
import { requireValueWithinLimit } from "./value-limits";

export interface StartOptions {
  instanceId?: string;
  /** JSON text of the input; absent for none. */
  input?: string | null;
  version?: string | null;
  /** Start no earlier than this time. */
  startAt?: Date;
}

export interface PurgeFilter {
  createdTimeFrom: string;
  createdTimeTo?: string;
  runtimeStatus?: readonly RuntimeStatusName[];
}

/** Statuses an existing instance may have for a start with its id to be refused. */
const LIVE_STATUSES: readonly RuntimeStatusName[] = ["Pending", "Running", "Suspended"];
const ENDED_STATUSES: readonly RuntimeStatusName[] = ["Completed", "Failed", "Terminated", "Canceled"];
/** Between two generations of continue-as-new, the engine keeps messages for the next one. */
const ACCEPTING_MESSAGES: readonly RuntimeStatusName[] = [...LIVE_STATUSES, "ContinuedAsNew"];

/**
 * Starts, queries and manages instances in a task hub. Usable inside the host and from any
 * process that can reach the hub's storage.
 */
export class TaskHubClient {
  /** Signal, read, list and clean up entities. */
  readonly entities: EntityClient;

  constructor(readonly hub: TaskHub) {
    this.entities = new EntityClient(hub);
  }

  /**
   * Starts an orchestration; refuses an id whose instance is still live, and an input over
   * MAX_VALUE_LENGTH (ValueTooLargeError). Returns the instance id.
   */
  async startNew(name: string, options: StartOptions = {}): Promise<string> {
    const instanceId = options.instanceId ?? newGuidN();
    validateInstanceId(instanceId);
    requireValueWithinLimit("start input", options.input);
    const executionId = newGuidN();
    const now = this.hub.clock.now();
    const startAt = options.startAt && options.startAt > now ? options.startAt.toISOString() : undefined;
    const event = events.executionStarted({
      instanceId,
      executionId,
      name,
      input: options.input ?? null,
      version: options.version ?? null,
      scheduledStartTime: startAt ?? null,
      timestamp: now.toISOString(),
    });
    await this.hub.createInstance(
      { event, instance: { instanceId, executionId }, ...(startAt ? { visibleAt: startAt } : {}) },
      LIVE_STATUSES,
    );
    return instanceId;
  }

  getInstance(instanceId: string): Promise<InstanceState | undefined> {
    return this.hub.getInstance(instanceId);
  }

  getHistory(instanceId: string): Promise<HistoryEvent[]> {
    return this.hub.getHistory(instanceId);
  }

  query(query: InstanceQuery): Promise<InstanceQueryPage> {
    return this.hub.queryInstances(query);
  }

  /** Raises an event; `input` is JSON text. Ended instances refuse it (InstanceStatusError, gone). */
  async raiseEvent(instanceId: string, eventName: string, input: string | null): Promise<void> {
    await this.requireEventsAccepted(instanceId);
    await this.sendEvent(instanceId, eventName, input);
  }

  /**
   * Throws InstanceNotFoundError, or InstanceStatusError when the instance has ended. A status
   * the hub has at hand is trusted when it accepts: it can be out of date only where the
   * extension's check races the same way (the instance ending as the event arrives).
   */
  async requireEventsAccepted(instanceId: string): Promise<void> {
    const known = this.hub.knownInstance?.(instanceId);
    if (known && ACCEPTING_MESSAGES.includes(known.runtimeStatus)) return;
    await this.requireStatus(instanceId, "raise an event to", ACCEPTING_MESSAGES);
  }

  /** Sends an event without looking at the instance first: for callers that just did. */
  async sendEvent(instanceId: string, eventName: string, input: string | null): Promise<void> {
    requireValueWithinLimit("event data", input);
    await this.hub.sendMessage(eventMessage(instanceId, eventName, input, this.timestamp()));
  }

  async terminate(instanceId: string, reason: string | null): Promise<void> {
    requireValueWithinLimit("terminate reason", reason);
    await this.requireStatus(instanceId, "terminate", ACCEPTING_MESSAGES);
    await this.hub.sendMessage(terminateMessage(instanceId, reason, this.timestamp()));
  }

  async suspend(instanceId: string, reason: string | null): Promise<void> {
    requireValueWithinLimit("suspend reason", reason);
    await this.requireStatus(instanceId, "suspend", ["Pending", "Running", "ContinuedAsNew"]);
    await this.hub.sendMessage(suspendMessage(instanceId, reason, this.timestamp()));
  }

  async resume(instanceId: string, reason: string | null): Promise<void> {
    requireValueWithinLimit("resume reason", reason);
    await this.requireStatus(instanceId, "resume", ["Suspended"]);
    await this.hub.sendMessage(resumeMessage(instanceId, reason, this.timestamp()));
  }

  async rewind(instanceId: string, reason: string | null): Promise<void> {
    requireValueWithinLimit("rewind reason", reason);
    await this.requireStatus(instanceId, "rewind", ["Failed"]);
    await this.hub.sendMessage(rewindMessage(instanceId, reason ?? "", this.timestamp()));
  }

  /**
   * Starts the instance again with its name and input; returns the id of the new run. Onto its
   * own id only once it has ended.
   */
  async restart(instanceId: string, restartWithNewInstanceId: boolean): Promise<string> {
    const state = await this.hub.getInstance(instanceId);
    if (!state) throw new InstanceNotFoundError(instanceId);
    // As DurableTask's RestartAsync: a live instance is not stopped to make room for its rerun.
    if (!restartWithNewInstanceId && LIVE_STATUSES.includes(state.runtimeStatus)) {
      throw new InstanceStatusError(
        instanceId,
        state.runtimeStatus,
        "restart",
        "Wait until it has ended, or restart it with a new instance id.",
      );
    }
    return this.startNew(state.name, {
      instanceId: restartWithNewInstanceId ? undefined : instanceId,
      input: state.input,
      version: state.version,
    });
  }

  purge(instanceId: string): Promise<number> {
    return this.hub.purgeInstance(instanceId);
  }

  /** Purges ended instances created in the range (only Completed, Failed, Terminated and Canceled). */
  async purgeBy(filter: PurgeFilter): Promise<number> {
    const requested: readonly RuntimeStatusName[] = filter.runtimeStatus?.length
      ? filter.runtimeStatus
      : ENDED_STATUSES;
    const statuses = requested.filter(isTerminalStatus);
    // An empty status filter means "any status" to providers: only live ones were asked for.
    if (statuses.length === 0) return 0;
    let deleted = 0;
    let continuationToken: string | undefined;
    do {
      const page = await this.hub.queryInstances({
        createdTimeFrom: filter.createdTimeFrom,
        createdTimeTo: filter.createdTimeTo ?? this.timestamp(),
        runtimeStatus: statuses,
        pageSize: 100,
        continuationToken,
        fetchInputsAndOutputs: false,
      });
      for (const instance of page.instances) deleted += await this.hub.purgeInstance(instance.instanceId);
      continuationToken = page.continuationToken;
    } while (continuationToken);
    return deleted;
  }

  /**
   * Resolves with the instance's state once it has ended (or continued as new and ended), or
   * with its current state when `timeoutMs` passes first. Woken by the hub's change notices.
   */
  async waitForCompletion(instanceId: string, timeoutMs: number): Promise<InstanceState | undefined> {
    const deadline = Date.now() + timeoutMs;
    let changed: () => void = () => {};
    // A change this process committed comes with the row it wrote, which needs no reading back.
    let written: InstanceState | undefined;
    const unsubscribe = this.hub.onInstanceChanged((id, state) => {
      if (id !== instanceId) return;
      written = state;
      changed();
    });
    try {
      for (;;) {
        const wake = new Promise<void>((resolve) => (changed = resolve));
        const notice = written;
        written = undefined;
        const state = notice ?? (await this.hub.getInstance(instanceId));
        if (state && isTerminalStatus(state.runtimeStatus)) return state;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return state;
        // Another process may commit the change, so poll too, more slowly.
        await Promise.race([wake, delay(Math.min(remaining, 500))]);
      }
    } finally {
      unsubscribe();
    }
  }

  private async requireStatus(
    instanceId: string,
    operation: string,
    allowed: readonly RuntimeStatusName[],
  ): Promise<InstanceState> {
    const state = await this.hub.getInstance(instanceId);
    if (!state) throw new InstanceNotFoundError(instanceId);
    if (!allowed.includes(state.runtimeStatus))
      throw new InstanceStatusError(instanceId, state.runtimeStatus, operation);
    return state;
  }

  private timestamp(): string {
    return this.hub.clock.now().toISOString();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The extension's limit on instance ids. */
export const MAX_INSTANCE_ID_LENGTH = 256;

/** Instance ids end up in table keys and URLs: refuse what would break either. */
export function validateInstanceId(instanceId: string): void {
  if (instanceId.length === 0 || instanceId.trim() !== instanceId) {
    throw new RangeError("Instance IDs must not be empty or start or end with whitespace.");
  }
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH) {
    throw new RangeError(`Instance IDs must be at most ${MAX_INSTANCE_ID_LENGTH} characters long.`);
  }
  if (hasForbiddenIdCharacter(instanceId)) {
    throw new RangeError(
      `Instance ID '${instanceId}' contains a character that is not allowed (/ \\ # ?, a control character or a lone surrogate).`,
    );
  }
  if (instanceId.startsWith("@"))
    throw new RangeError("Instance IDs starting with '@' are reserved for entities.");
}
