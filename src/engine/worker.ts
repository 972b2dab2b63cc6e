import { setMaxListeners } from "node:events";
import type { ActivityWorkItem, OrchestrationWorkItem, TaskHub } from "../providers/task-hub";
import { ActivityRunner } from "./activity-runner";
import type { FunctionInvoker } from "./invoker";
import {
  OrchestrationRunner,
  defaultRunnerSettings,
  type OrchestrationRunnerSettings,
} from "./orchestration/orchestration-runner";

export interface WorkerOptions {
  /** Orchestration episodes run at once (host.json maxConcurrentOrchestratorFunctions). */
  maxConcurrentOrchestrations?: number;
  /** Activities run at once (host.json maxConcurrentActivityFunctions). */
  maxConcurrentActivities?: number;
  runnerSettings?: OrchestrationRunnerSettings;
  /** Where unexpected errors go; the worker keeps running. */
  onError?: (error: unknown, context: string) => void;
}

/**
 * Pulls work items from a task hub and runs them: a fixed number of loops per kind, each
 * waiting on the hub for its next item, so concurrency is bounded without a scheduler.
 */
export class DurableWorker {
  private readonly orchestrations: OrchestrationRunner;
  private readonly activities: ActivityRunner;
  private abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly hub: TaskHub,
    invoker: FunctionInvoker,
    private readonly options: WorkerOptions = {},
  ) {
    this.orchestrations = new OrchestrationRunner(
      invoker,
      hub.clock,
      options.runnerSettings ?? defaultRunnerSettings,
    );
    this.activities = new ActivityRunner(invoker, hub.clock);
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

  private async orchestrationLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let workItem: OrchestrationWorkItem | undefined;
      try {
        workItem = await this.hub.lockNextOrchestrationWorkItem(signal);
        if (!workItem) continue;
        const checkpoint = await this.orchestrations.run(workItem);
        await this.hub.completeOrchestrationWorkItem(workItem, checkpoint);
      } catch (error) {
        this.report(error, `orchestration ${workItem?.instanceId ?? ""}`);
        if (workItem)
          await this.hub.abandonOrchestrationWorkItem(workItem).catch((e) => this.report(e, "abandon"));
      }
    }
  }

  private async activityLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let workItem: ActivityWorkItem | undefined;
      try {
        workItem = await this.hub.lockNextActivityWorkItem(signal);
        if (!workItem) continue;
        const response = await this.activities.run(workItem.message);
        await this.hub.completeActivityWorkItem(workItem, response);
      } catch (error) {
        this.report(error, "activity");
        if (workItem)
          await this.hub.abandonActivityWorkItem(workItem).catch((e) => this.report(e, "abandon"));
      }
    }
  }

  private report(error: unknown, context: string): void {
    if (this.options.onError) this.options.onError(error, context);
    else console.error(`durable worker: ${context}:`, error);
  }
}
