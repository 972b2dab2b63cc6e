import { TaskHubClient } from "../engine/client";
import { isTerminalStatus } from "../engine/errors";
import type { FunctionInvoker } from "../engine/invoker";
import { toStatusBody, type StatusBodyOptions } from "../engine/status-body";
import { DurableWorker, type WorkerOptions } from "../engine/worker";
import type { HistoryEvent } from "../protocol/history";
import type { OrchestrationStatusBody } from "../protocol/status";
import { MemoryTaskHub } from "../providers/memory/memory-task-hub";
import { VirtualClock } from "../providers/memory/virtual-clock";
import type { FunctionRegistry } from "../sdk/registry";
import { RegistryInvoker } from "./registry-invoker";

export interface DurableTestHubOptions {
  /** Where the functions come from; defaults to everything registered through `df.app.*`. */
  registry?: FunctionRegistry;
  /** Runs functions some other way (e.g. another SDK's handlers). Overrides `registry`. */
  invoker?: FunctionInvoker;
  /** Virtual start time; defaults to now. */
  startTime?: Date;
  /**
   * When nothing is left to do but wait for a timer, jump the clock to it (default true), so
   * a 7-day timer fires at once. Turn off to move time only with `advanceTime`.
   */
  autoAdvanceTime?: boolean;
  worker?: WorkerOptions;
}

/**
 * An in-memory task hub with a virtual clock and a running worker, for unit-testing
 * orchestrations, activities and entities without storage or a host.
 */
export class DurableTestHub {
  readonly clock: VirtualClock;
  readonly hub: MemoryTaskHub;
  readonly client: TaskHubClient;
  private readonly worker: DurableWorker;

  private constructor(options: DurableTestHubOptions) {
    this.clock = new VirtualClock(options.startTime ?? new Date());
    this.hub = new MemoryTaskHub({ clock: this.clock, autoAdvanceTime: options.autoAdvanceTime ?? true });
    this.client = new TaskHubClient(this.hub);
    const invoker = options.invoker ?? new RegistryInvoker(options.registry);
    this.worker = new DurableWorker(this.hub, invoker, options.worker);
  }

  static async start(options: DurableTestHubOptions = {}): Promise<DurableTestHub> {
    const testHub = new DurableTestHub(options);
    await testHub.hub.createIfNotExists();
    await testHub.worker.start();
    return testHub;
  }

  /** Starts an orchestration with a JSON-serialisable input; returns its instance id. */
  startOrchestration(name: string, input?: unknown, instanceId?: string): Promise<string> {
    return this.client.startNew(name, {
      instanceId,
      input: input === undefined ? null : JSON.stringify(input),
    });
  }

  raiseEvent(instanceId: string, eventName: string, data?: unknown): Promise<void> {
    return this.client.raiseEvent(instanceId, eventName, data === undefined ? null : JSON.stringify(data));
  }

  advanceTime(ms: number): Date {
    return this.clock.advance(ms);
  }

  /** Resolves when no work is visible or running (timers in the future may remain). */
  whenIdle(): Promise<void> {
    return this.hub.whenIdle();
  }

  async getStatus(
    instanceId: string,
    options: StatusBodyOptions = {},
  ): Promise<OrchestrationStatusBody | undefined> {
    const state = await this.client.getInstance(instanceId);
    if (!state) return undefined;
    const history = options.showHistory ? await this.client.getHistory(instanceId) : undefined;
    return toStatusBody(state, history, options);
  }

  /** Waits until the instance has ended and returns its status. Rejects after `timeoutMs` of wall time. */
  async waitForCompletion(instanceId: string, timeoutMs = 10_000): Promise<OrchestrationStatusBody> {
    const state = await this.client.waitForCompletion(instanceId, timeoutMs);
    if (!state) throw new Error(`Instance '${instanceId}' does not exist.`);
    if (!isTerminalStatus(state.runtimeStatus)) {
      throw new Error(`Instance '${instanceId}' is still ${state.runtimeStatus} after ${timeoutMs} ms.`);
    }
    return toStatusBody(state, undefined);
  }

  getHistory(instanceId: string): Promise<HistoryEvent[]> {
    return this.client.getHistory(instanceId);
  }

  async stop(): Promise<void> {
    await this.worker.stop();
  }
}
