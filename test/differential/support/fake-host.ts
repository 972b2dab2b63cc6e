/**
 * A small scripted host for tests: it runs an orchestration episode by episode through a worker
 * (normally the official durable-functions handler), writes the history a real host would write
 * for the actions it gets back (numbering, retries with their trailing timer, long-timer chains,
 * HTTP polling, entity request ids), and delivers completions from a scripted "world". The result
 * is the trigger of every episode, so each replay step can be checked against another worker.
 * Like our engine, and unlike the real host, it does not schedule again a pending task that a new
 * WhenAll/WhenAny yields again: the worker keeps that task's number. Unlike the engine it judges
 * "pending" when the episode ends, not where the worker yielded, so a scenario must not complete
 * a task in the episode that yields it again.
 */
import {
  ActionType,
  SchemaVersion,
  type DurableHttpRequestPayload,
  type DurableHttpResponsePayload,
  type FailureDetails,
  type OrchestratorAction,
  type OrchestrationTriggerPayload,
  type RetryOptionsPayload,
} from "../../../src/protocol";
import { HistoryBuilder, triggerFor, type TriggerOptions } from "./history-builder";
import { invokeHandler, stateOf, type WireOrchestrationHandler, type WorkerOutcome } from "./worker-outcome";

export type TaskOutcome =
  { result: unknown } | { error: { message: string; details?: string; failureDetails?: FailureDetails } };

export interface World {
  /** `attempt` counts from 1 for retried activities. */
  activity?(name: string, input: unknown, attempt: number): TaskOutcome;
  subOrchestration?(name: string, input: unknown, instanceId: string, attempt: number): TaskOutcome;
  /** The result of a call; a thrown Error becomes a failed call. */
  entity?(instanceId: string, operation: string, input: unknown): unknown;
  http?(request: DurableHttpRequestPayload, round: number): DurableHttpResponsePayload;
  /** External events raised at the start of the given episode (1 is the first episode). */
  events?: { episode: number; name: string; input?: unknown }[];
}

export interface SimulationOptions extends TriggerOptions {
  world?: World;
  /** Deliver every ready completion in one episode instead of one completion per episode. */
  batch?: boolean;
  /** Episodes with scripted events deliver no completion, so pending tasks stay pending. */
  eventsAlone?: boolean;
  maxEpisodes?: number;
  /** How many executions to run when the orchestration continues as new. */
  maxExecutions?: number;
}

export interface Episode {
  execution: number;
  trigger: OrchestrationTriggerPayload;
  outcome: WorkerOutcome;
}

interface Pending {
  seq: number;
  readyAt: number;
  /**
   * Appends the completion event(s) before the worker runs, and returns what the host schedules in
   * reaction (retry timers, next links, polls): written after the worker ran, before new actions.
   */
  deliver(): (() => void) | void;
  cancelled?: boolean;
  /** The task this item belongs to; retries, timer links and polls belong to the task that made them. */
  owner?: Leaf;
}

/** One task the worker numbers; open while any pending item belongs to it. */
interface Leaf {
  /** For timers: the sequence number of the first link. */
  timerSeq?: number;
}

/** Actions that stand for a task the worker numbers and waits on, so a compound may yield it again. */
const REPEATABLE: ReadonlySet<ActionType> = new Set([
  ActionType.CallActivity,
  ActionType.CallActivityWithRetry,
  ActionType.CallSubOrchestrator,
  ActionType.CallSubOrchestratorWithRetry,
  ActionType.CreateTimer,
  ActionType.CallHttp,
  ActionType.CallEntity,
  ActionType.LockEntities,
]);

const START = Date.parse("2024-01-01T00:00:00.000Z");

export async function simulate(
  worker: WireOrchestrationHandler,
  options: SimulationOptions,
): Promise<Episode[]> {
  const episodes: Episode[] = [];
  let input: unknown = options.input ?? null;
  const maxExecutions = options.maxExecutions ?? 1;
  for (let execution = 1; execution <= maxExecutions; execution++) {
    const run = new Execution(worker, { ...options, input }, execution, episodes);
    const next = await run.run();
    if (next === undefined) {
      break;
    }
    input = next.input;
  }
  return episodes;
}

class Execution {
  private readonly history: HistoryBuilder;
  private readonly world: World;
  private nextSeq = 0;
  private processedActions = 0;
  private pending: Pending[] = [];
  /** Sequence numbers of timer actions, by their position among the leaves of processed actions. */
  private readonly timerLeaves: (number | undefined)[] = [];
  private lastLockSet: { name: string; key: string }[] = [];
  private episodeNumber = 0;
  private followUps: (() => void)[] = [];
  /** The task whose scheduling, completion or follow-up runs now; new pending items belong to it. */
  private owner: Leaf | undefined;
  /** Tasks of processed actions by the JSON of their action. */
  private readonly yielded = new Map<string, Leaf[]>();
  /** Earlier tasks the action being scheduled yields again. */
  private readonly repeated = new Set<Leaf>();
  private now = START;

  constructor(
    private readonly worker: WireOrchestrationHandler,
    private readonly options: SimulationOptions,
    private readonly execution: number,
    private readonly episodes: Episode[],
  ) {
    this.history = new HistoryBuilder(new Date(START));
    this.world = options.world ?? {};
  }

  /** Runs episodes until the orchestration ends or waits on nothing; returns the continue-as-new action if any. */
  async run(): Promise<{ input: unknown } | undefined> {
    this.history.episode(0, new Date(this.now));
    this.episodeNumber = 1;
    this.history.executionStarted({ input: this.options.input });
    this.raiseScriptedEvents();
    const maxEpisodes = this.options.maxEpisodes ?? 500;
    for (;;) {
      const outcome = await this.runWorker();
      const state = stateOf(outcome);
      for (const followUp of this.followUps.splice(0)) {
        followUp();
      }
      if (state !== undefined) {
        this.schedule(state.actions, state.schemaVersion);
        this.applyCancellations(state.actions, state.schemaVersion);
      }
      this.history.orchestratorCompleted();
      if (outcome.kind !== "state" || outcome.state.isDone) {
        const last = state?.actions.flat().at(-1);
        return outcome.kind === "state" && last?.actionType === ActionType.ContinueAsNew
          ? { input: last.input }
          : undefined;
      }
      if (this.episodeNumber >= maxEpisodes || !this.startNextEpisode()) {
        return undefined;
      }
    }
  }

  private async runWorker(): Promise<WorkerOutcome> {
    const trigger = triggerFor(this.history.build(), this.options);
    const outcome = await invokeHandler(this.worker, trigger);
    this.episodes.push({ execution: this.execution, trigger, outcome });
    return outcome;
  }

  private startNextEpisode(): boolean {
    const live = this.pending
      .filter((p) => !p.cancelled)
      .sort((a, b) => a.readyAt - b.readyAt || a.seq - b.seq);
    const scripted = (this.world.events ?? []).map((e) => e.episode).filter((n) => n > this.episodeNumber);
    if (live.length === 0 && scripted.length === 0) {
      return false;
    }
    const eventsNext = scripted.includes(this.episodeNumber + 1);
    const due =
      live.length === 0 || (this.options.eventsAlone && eventsNext)
        ? []
        : this.options.batch
          ? live.filter((p) => p.readyAt <= live[0].readyAt)
          : [live[0]];
    // With nothing to deliver, skip ahead to the episode of the next scripted event.
    this.episodeNumber = due.length === 0 ? Math.min(...scripted) : this.episodeNumber + 1;
    this.now = Math.max(this.now + 1000, due.length > 0 ? due[0].readyAt : this.now);
    this.history.episode(0, new Date(this.now));
    this.raiseScriptedEvents();
    for (const item of due) {
      this.pending = this.pending.filter((p) => p !== item);
      this.owner = item.owner;
      const followUp = item.deliver();
      if (followUp) {
        this.followUps.push(() => {
          this.owner = item.owner;
          followUp();
        });
      }
    }
    this.owner = undefined;
    return true;
  }

  private raiseScriptedEvents(): void {
    for (const event of (this.world.events ?? []).filter((e) => e.episode === this.episodeNumber)) {
      this.history.eventRaised(event.name, event.input);
    }
  }

  /** Writes scheduling events for the actions the worker added since the last episode. */
  private schedule(actions: OrchestratorAction[][], schema: SchemaVersion): void {
    const sets = schema === SchemaVersion.V1 ? actions : [actions[0] ?? []];
    const all = schema === SchemaVersion.V1 ? sets.map((set) => set) : sets[0].map((action) => [action]);
    for (const set of all.slice(this.processedActions)) {
      this.repeated.clear();
      const built: [string, Leaf][] = [];
      for (const action of set) {
        // V1 flattens a compound into one set of leaves.
        this.scheduleLeafOrCompound(action, schema, set.length > 1, built);
      }
      for (const [key, leaf] of built) {
        this.yielded.set(key, [...(this.yielded.get(key) ?? []), leaf]);
      }
    }
    this.processedActions = all.length;
    this.owner = undefined;
  }

  /** A compound's child identical to a still open task of an earlier action is that task again. */
  private scheduleLeafOrCompound(
    action: OrchestratorAction,
    schema: SchemaVersion,
    inCompound: boolean,
    built: [string, Leaf][],
  ): void {
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
      for (const child of action.compoundActions) {
        this.scheduleLeafOrCompound(child, schema, true, built);
      }
      return;
    }
    if (!REPEATABLE.has(action.actionType)) {
      this.owner = undefined;
      this.scheduleAction(action, schema);
      return;
    }
    const key = JSON.stringify(action);
    const earlier = inCompound
      ? this.yielded.get(key)?.find((leaf) => !this.repeated.has(leaf) && this.isOpen(leaf))
      : undefined;
    if (earlier !== undefined) {
      this.repeated.add(earlier);
      if (earlier.timerSeq !== undefined) {
        this.timerLeaves.push(earlier.timerSeq);
      }
      return;
    }
    const leaf: Leaf = {};
    this.owner = leaf;
    this.scheduleAction(action, schema);
    if (action.actionType === ActionType.CreateTimer) {
      leaf.timerSeq = this.timerLeaves.at(-1);
    }
    built.push([key, leaf]);
  }

  private isOpen(leaf: Leaf): boolean {
    return this.pending.some((item) => item.owner === leaf);
  }

  private scheduleAction(action: OrchestratorAction, schema: SchemaVersion): void {
    switch (action.actionType) {
      case ActionType.CallActivity:
        this.scheduleActivity(action.functionName, action.input, undefined);
        return;
      case ActionType.CallActivityWithRetry:
        this.scheduleActivity(action.functionName, action.input, action.retryOptions);
        return;
      case ActionType.CallSubOrchestrator:
        this.scheduleSubOrchestration(action.functionName, action.input, action.instanceId, undefined);
        return;
      case ActionType.CallSubOrchestratorWithRetry:
        this.scheduleSubOrchestration(
          action.functionName,
          action.input,
          action.instanceId,
          action.retryOptions,
        );
        return;
      case ActionType.CreateTimer:
        this.timerLeaves.push(this.scheduleTimer(new Date(action.fireAt), schema));
        return;
      case ActionType.WaitForExternalEvent:
      case ActionType.ContinueAsNew:
        return;
      case ActionType.CallEntity:
        this.scheduleEntityCall(action.instanceId, action.operation, action.input);
        return;
      case ActionType.SignalEntity:
        this.history.eventSent(this.nextSeq++, action.instanceId, "op", {
          op: action.operation,
          signal: true,
          input: JSON.stringify(action.input ?? null),
          id: requestId(this.execution, this.nextSeq),
        });
        return;
      case ActionType.CallHttp:
        this.scheduleHttp(action.httpRequest, schema, 1);
        return;
      case ActionType.LockEntities:
        this.scheduleLock(action.lockRequestId, action.lockSet);
        return;
      case ActionType.ReleaseEntities:
        for (const entity of this.lastLockSet) {
          this.history.eventSent(this.nextSeq++, entityInstanceId(entity), "release", {
            parent: this.options.instanceId ?? "instance-1",
            id: "release",
          });
        }
        return;
      default:
        throw new Error(`fake host: unsupported action ${JSON.stringify(action)}`);
    }
  }

  private scheduleActivity(
    name: string,
    input: unknown,
    retry: RetryOptionsPayload | undefined,
    attempt = 1,
  ): void {
    const seq = this.nextSeq++;
    this.history.taskScheduled(seq, name, input);
    this.addPending(seq, this.now, () => {
      const outcome = this.world.activity?.(name, input, attempt) ?? { result: null };
      if ("result" in outcome) {
        this.history.taskCompleted(seq, outcome.result);
      } else {
        this.history.taskFailed(
          seq,
          outcome.error.message,
          outcome.error.details ?? "",
          outcome.error.failureDetails,
        );
        this.retryAfterFailure(retry, attempt, () => this.scheduleActivity(name, input, retry, attempt + 1));
      }
    });
  }

  private scheduleSubOrchestration(
    name: string,
    input: unknown,
    instanceId: string | undefined,
    retry: RetryOptionsPayload | undefined,
    attempt = 1,
  ): void {
    const seq = this.nextSeq++;
    const childId = instanceId ?? `${this.options.instanceId ?? "instance-1"}:${seq}`;
    this.history.subOrchestrationCreated(seq, name, childId, input);
    this.addPending(seq, this.now, () => {
      const outcome = this.world.subOrchestration?.(name, input, childId, attempt) ?? { result: null };
      if ("result" in outcome) {
        this.history.subOrchestrationCompleted(seq, outcome.result);
      } else {
        const e = outcome.error;
        this.history.subOrchestrationFailed(seq, e.message, e.details ?? "", e.failureDetails);
        return () =>
          this.retryAfterFailure(retry, attempt, () =>
            this.scheduleSubOrchestration(name, input, instanceId, retry, attempt + 1),
          );
      }
    });
  }

  /** After a failed attempt the host waits on a timer, also after the last attempt, then retries or gives up. */
  private retryAfterFailure(
    retry: RetryOptionsPayload | undefined,
    attempt: number,
    retryNow: () => void,
  ): void {
    if (retry === undefined) {
      return;
    }
    const lastAttempt = attempt >= retry.maxNumberOfAttempts;
    const uncapped =
      retry.firstRetryIntervalInMilliseconds * (retry.backoffCoefficient ?? 1) ** (attempt - 1);
    const delay = lastAttempt ? 0 : Math.min(uncapped, retry.maxRetryIntervalInMilliseconds ?? Infinity);
    const seq = this.nextSeq++;
    const fireAt = new Date(this.now + delay);
    this.history.timerCreated(seq, fireAt);
    this.addPending(seq, fireAt.getTime(), () => {
      this.history.timerFired(seq, fireAt);
      return lastAttempt ? undefined : retryNow;
    });
  }

  /** A timer, split into a chain as the worker mirrors it when longer than the maximum (V3+). */
  private scheduleTimer(finalFireAt: Date, schema: SchemaVersion): number {
    const maximumShort = parseDays(this.options.maximumShortTimerDuration ?? "6.00:00:00");
    const interval = parseDays(this.options.longRunningTimerIntervalDuration ?? "3.00:00:00");
    const link = (): number => {
      const remaining = finalFireAt.getTime() - this.now;
      const fireAt =
        schema >= SchemaVersion.V3 && remaining > maximumShort ? new Date(this.now + interval) : finalFireAt;
      const seq = this.nextSeq++;
      this.history.timerCreated(seq, fireAt);
      chain.item = this.addPending(seq, fireAt.getTime(), () => {
        this.history.timerFired(seq, fireAt);
        return schema >= SchemaVersion.V3 && finalFireAt.getTime() > this.now ? () => void link() : undefined;
      });
      return seq;
    };
    const chain: { seq: number; item?: Pending } = { seq: -1 };
    chain.seq = link();
    this.timerChains.set(chain.seq, chain);
    return chain.seq;
  }

  private readonly timerChains = new Map<number, { seq: number; item?: Pending }>();

  private scheduleEntityCall(instanceId: string, operation: string, input: unknown): void {
    const seq = this.nextSeq++;
    const id = requestId(this.execution, seq);
    this.history.eventSent(seq, instanceId, "op", {
      op: operation,
      input: JSON.stringify(input ?? null),
      id,
      parent: this.options.instanceId ?? "instance-1",
    });
    this.addPending(seq, this.now, () => {
      try {
        this.history.entityResponse(id, this.world.entity?.(instanceId, operation, input) ?? null);
      } catch (error) {
        this.history.entityResponse(id, (error as Error).message, true);
      }
    });
  }

  private scheduleLock(lockRequestId: string, lockSet: { name: string; key: string }[]): void {
    const seq = this.nextSeq++;
    this.lastLockSet = lockSet;
    this.history.eventSent(seq, entityInstanceId(lockSet[0]), "op", {
      id: lockRequestId,
      parent: this.options.instanceId ?? "instance-1",
      lockset: lockSet,
      pos: 0,
    });
    this.addPending(seq, this.now, () => {
      this.history.eventRaised(lockRequestId, { result: "Lock Acquisition Completed" });
    });
  }

  private scheduleHttp(
    request: DurableHttpRequestPayload,
    schema: SchemaVersion,
    round: number,
    seq = this.nextSeq++,
  ): void {
    this.history.taskScheduled(seq, "BuiltIn::HttpActivity", request);
    this.addPending(seq, this.now, () => {
      const response = this.world.http?.(request, round) ?? { statusCode: 200, headers: {}, content: "" };
      this.history.taskCompleted(seq, response);
      const location = header(response, "Location");
      if (
        schema >= SchemaVersion.V3 &&
        request.asynchronousPatternEnabled &&
        response.statusCode === 202 &&
        location
      ) {
        const retryAfter = header(response, "Retry-After");
        const delay = retryAfter
          ? Number(retryAfter) * 1000
          : (this.options.defaultHttpAsyncRequestSleepTimeMillseconds ?? 30000);
        const timerSeq = this.nextSeq++;
        const pollSeq = this.nextSeq++;
        const fireAt = new Date(this.now + delay);
        this.history.timerCreated(timerSeq, fireAt);
        this.addPending(timerSeq, fireAt.getTime(), () => {
          this.history.timerFired(timerSeq, fireAt);
          return () => this.scheduleHttp(request, schema, round + 1, pollSeq);
        });
      }
    });
  }

  private addPending(seq: number, readyAt: number, deliver: () => void): Pending {
    const item: Pending = { seq, readyAt, deliver, owner: this.owner };
    this.pending.push(item);
    return item;
  }

  /** Timers the worker has since cancelled are dropped: their TimerFired never comes. */
  private applyCancellations(actions: OrchestratorAction[][], schema: SchemaVersion): void {
    const leaves = (schema === SchemaVersion.V1 ? actions : [actions[0] ?? []]).flat().flatMap(leavesOf);
    const timers = leaves.filter((leaf) => leaf.actionType === ActionType.CreateTimer);
    timers.forEach((timer, index) => {
      const seq = this.timerLeaves[index];
      if (seq !== undefined && timer.actionType === ActionType.CreateTimer && timer.isCanceled) {
        const chain = this.timerChains.get(seq);
        if (chain?.item) {
          chain.item.cancelled = true;
        }
      }
    });
  }
}

function leavesOf(action: OrchestratorAction): OrchestratorAction[] {
  return action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny
    ? action.compoundActions.flatMap(leavesOf)
    : [action];
}

function header(response: DurableHttpResponsePayload, name: string): string | undefined {
  const key = Object.keys(response.headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : response.headers?.[key];
  return Array.isArray(value) ? value[0] : value;
}

function entityInstanceId(entity: { name: string; key: string }): string {
  return `@${entity.name.toLowerCase()}@${entity.key}`;
}

/** A request id as the host would pick one: unique, lower-case, with dashes. */
function requestId(execution: number, seq: number): string {
  return `00000000-0000-4000-8000-${String(execution).padStart(4, "0")}${String(seq).padStart(8, "0")}`;
}

function parseDays(timeSpan: string): number {
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)$/.exec(timeSpan);
  if (!match) {
    throw new Error(`fake host: unsupported time span ${timeSpan}`);
  }
  const [, days, hours, minutes, seconds] = match;
  return ((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60000 + Number(seconds) * 1000;
}
