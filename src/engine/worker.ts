import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { isFollowOnFailure } from "../providers/failures";
import type { ActivityWorkItem, OrchestrationWorkItem, TaskHub } from "../providers/task-hub";
import { ActivityRunner } from "./activity-runner";
import {
  EntityRunner,
  defaultEntityRunnerSettings,
  type EntityRunnerSettings,
} from "./entities/entity-runner";
import { entityGiveUpCheckpoint } from "./entities/entity-give-up";
import { giveUpCheckpoint } from "./orchestration/give-up";
import { isEntityInstanceId } from "../protocol/entities";
import type { FunctionInvoker } from "./invoker";
import { RemoteWorkerGoneError, type RemoteExecutor } from "./orchestration/remote-executor";
import { WorkProgress, type WorkKind, type WorkProgressSnapshot } from "./work-progress";
import {
  OrchestrationRunner,
  defaultRunnerSettings,
  type OrchestrationRunnerSettings,
} from "./orchestration/orchestration-runner";
import {
  WorkItemFailures,
  defaultWorkItemFailureSettings,
  type FailingInstance,
  type WorkItemFailureSettings,
} from "./work-item-failures";

export interface WorkerOptions {
  /** Orchestration episodes run at once (host.json maxConcurrentOrchestratorFunctions). */
  maxConcurrentOrchestrations?: number;
  /** Activities run at once (host.json maxConcurrentActivityFunctions). */
  maxConcurrentActivities?: number;
  runnerSettings?: OrchestrationRunnerSettings;
  entitySettings?: EntityRunnerSettings;
  /** When an instance whose work keeps failing is given up on, and how retries back off. */
  failureSettings?: WorkItemFailureSettings;
  /** Runs orchestrators and activities the invoker does not know (Durable Task SDK workers). */
  remote?: RemoteExecutor;
  /** Where unexpected errors go; the worker keeps running. */
  onError?: (error: unknown, context: string) => void;
}

interface LoopSteps<T> {
  kind: string;
  workKind(workItem: T): WorkKind;
  lock(signal: AbortSignal): Promise<T | undefined>;
  /** Resolves false when the item failed and was given back already (the loop only counts it). */
  process(workItem: T): Promise<boolean | void>;
  abandon(workItem: T): Promise<void>;
  describe(workItem: T): string;
}

/**
 * Pulls work items from a task hub and runs them: a fixed number of loops per kind, each
 * waiting on the hub for its next item, so concurrency is bounded without a scheduler.
 */
export class DurableWorker {
  private readonly orchestrations: OrchestrationRunner;
  private readonly entities: EntityRunner;
  private readonly activities: ActivityRunner;
  private readonly failures: WorkItemFailures;
  private abort = new AbortController();
  private loops: Promise<void>[] = [];
  /** Work items finished and failed lately, for the host's status route. */
  readonly progress = new WorkProgress();

  constructor(
    private readonly hub: TaskHub,
    invoker: FunctionInvoker,
    private readonly options: WorkerOptions = {},
  ) {
    this.orchestrations = new OrchestrationRunner(
      invoker,
      hub.clock,
      options.runnerSettings ?? defaultRunnerSettings,
      options.remote,
    );
    this.entities = new EntityRunner(
      invoker,
      hub.clock,
      options.entitySettings ?? defaultEntityRunnerSettings,
    );
    this.activities = new ActivityRunner(invoker, hub.clock, options.remote);
    this.failures = new WorkItemFailures(options.failureSettings ?? defaultWorkItemFailureSettings, () =>
      hub.clock.now(),
    );
  }

  /** Instances whose work is failing now: the attempts so far and the last error. */
  failingInstances(): FailingInstance[] {
    return this.failures.list();
  }

  /** What the host's status route shows: recent progress, and why failing instances fail. */
  progressSnapshot(): WorkProgressSnapshot {
    const snapshot = this.progress.snapshot();
    const errors = new Map(this.failures.list().map((f) => [f.instanceId, f.lastError]));
    for (const failing of snapshot.failingInstances) {
      const lastError = errors.get(failing.instanceId);
      if (lastError !== undefined) failing.lastError = lastError;
    }
    return snapshot;
  }

  get running(): boolean {
    return this.loops.length > 0;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.hub.start();
    this.abort = new AbortController();
    const signal = this.abort.signal;
    // Every loop waits on this one signal.
    setMaxListeners(0, signal);
    const orchestrationLoops = this.options.maxConcurrentOrchestrations ?? 10;
    const activityLoops = this.options.maxConcurrentActivities ?? 10;
    for (let i = 0; i < orchestrationLoops; i++) this.loops.push(this.orchestrationLoop(signal));
    for (let i = 0; i < activityLoops; i++) this.loops.push(this.activityLoop(signal));
  }

  /** Stops taking work and waits for the items in flight to finish. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    this.loops = [];
    await this.hub.stop();
  }

  private orchestrationLoop(signal: AbortSignal): Promise<void> {
    return this.loop<OrchestrationWorkItem>(signal, {
      kind: "orchestration",
      workKind: (item) => (isEntityInstanceId(item.instanceId) ? "entity" : "orchestration"),
      lock: (s) => this.hub.lockNextOrchestrationWorkItem(s),
      process: (item) => this.processOrchestration(item),
      abandon: (item) => this.hub.abandonOrchestrationWorkItem(item),
      describe: (item) => item.instanceId,
    });
  }

  /**
   * Runs one orchestration or entity work item (entities share the orchestrations' queues and
   * work items, told apart by their "@" ids). A failed attempt is counted for its instance and
   * retried after a back-off; an instance whose failure is permanent, or that has used up its
   * attempts, fails with the reason instead of being retried for ever.
   */
  private async processOrchestration(item: OrchestrationWorkItem): Promise<boolean> {
    const { instanceId } = item;
    const reason = this.failures.giveUpReason(instanceId);
    if (reason !== undefined) return this.giveUp(item, reason);
    try {
      if (item.loadFailure !== undefined) throw item.loadFailure;
      const checkpoint = await (isEntityInstanceId(instanceId)
        ? this.entities.run(item)
        : this.orchestrations.run(item));
      await this.hub.completeOrchestrationWorkItem(item, checkpoint);
      this.failures.succeeded(instanceId);
      return true;
    } catch (error) {
      this.report(error, `orchestration ${instanceId}`);
      // Built on an earlier attempt that failed: that one is counted, this one only goes back.
      // A remote worker that went away is no failure of the instance: the next worker takes it now.
      const retryAfterMs =
        isFollowOnFailure(error) || error instanceof RemoteWorkerGoneError
          ? undefined
          : this.failures.record(instanceId, error);
      await this.hub
        .abandonOrchestrationWorkItem(item, retryAfterMs)
        .catch((e: unknown) => this.report(e, "abandon"));
      return false;
    }
  }

  /**
   * Fails the instance of a work item with `reason` and sets its messages aside. Should the
   * failure's own history not be written, the next attempt writes the status row alone.
   */
  private async giveUp(item: OrchestrationWorkItem, reason: string): Promise<boolean> {
    const { instanceId } = item;
    const statusOnly = this.failures.gaveUpBefore(instanceId);
    const now = this.hub.clock.now();
    const checkpoint = isEntityInstanceId(instanceId)
      ? entityGiveUpCheckpoint(item, reason, now.toISOString())
      : giveUpCheckpoint(item, reason, statusOnly || item.loadFailure !== undefined, now);
    try {
      await this.hub.completeOrchestrationWorkItem(item, checkpoint);
      this.failures.succeeded(instanceId);
      return true;
    } catch (error) {
      this.report(error, `failing orchestration ${instanceId}`);
      const retryAfterMs = this.failures.giveUpFailed(instanceId, error);
      await this.hub
        .abandonOrchestrationWorkItem(item, retryAfterMs)
        .catch((e: unknown) => this.report(e, "abandon"));
      return false;
    }
  }

  private activityLoop(signal: AbortSignal): Promise<void> {
    return this.loop<ActivityWorkItem>(signal, {
      kind: "activity",
      workKind: () => "activity",
      lock: (s) => this.hub.lockNextActivityWorkItem(s),
      process: async (item) =>
        this.hub.completeActivityWorkItem(item, await this.activities.run(item.message)),
      abandon: (item) => this.hub.abandonActivityWorkItem(item),
      describe: (item) => item.message.instance.instanceId,
    });
  }

  /** Locks, processes and completes work items until stopped; a failed item is given back. */
  private async loop<T>(signal: AbortSignal, steps: LoopSteps<T>): Promise<void> {
    while (!signal.aborted) {
      let workItem: T | undefined;
      try {
        workItem = await steps.lock(signal);
        if (workItem) {
          if ((await steps.process(workItem)) === false) {
            this.progress.failed(steps.workKind(workItem), steps.describe(workItem));
          } else {
            this.progress.completed(steps.workKind(workItem), steps.describe(workItem));
          }
        }
        // Nothing while not stopped: the hub itself has stopped. Wait rather than spin on it.
        else if (!signal.aborted) await sleep(100, undefined, { signal }).catch(() => undefined);
      } catch (error) {
        this.report(error, `${steps.kind} ${workItem ? steps.describe(workItem) : ""}`);
        if (workItem) this.progress.failed(steps.workKind(workItem), steps.describe(workItem));
        if (workItem) await steps.abandon(workItem).catch((e: unknown) => this.report(e, "abandon"));
      }
    }
  }

  private report(error: unknown, context: string): void {
    if (this.options.onError) this.options.onError(error, context);
    else console.error(`durable worker: ${context}:`, error);
  }
}
