import type {
  DurableHttpRequestPayload,
  DurableHttpResponsePayload,
  RetryOptionsPayload,
} from "../../protocol/actions";
import { HistoryEventType } from "../../protocol/history";
import { HostTask, type LeafSchedule, type LeafTask } from "./host-tasks";

/** What the composite tasks below need from the replay: the clock of the episode and numbering. */
export interface TaskScheduler {
  /** The orchestration's current time: the latest OrchestratorStarted seen so far. */
  now(): Date;
  /** Numbers a new leaf whose scheduling event `build` describes. */
  numberLeaf(build: (seq: number, now: Date) => LeafSchedule, awaitsCompletion: boolean): LeafTask;
  timerLeaf(fireAt: Date): LeafTask;
  waitForEvent(task: EventWaitTask): void;
}

/** Retries an activity or sub-orchestration with durable timers between attempts. */
export class RetryTask extends HostTask {
  private attempt: LeafTask | undefined;
  private timer: LeafTask | undefined;
  private attemptNumber = 1;
  private failuresSoFar = 0;
  private firstAttemptAt = 0;

  /**
   * `scheduleAttempt(expired)`: with `expired`, the attempt is recorded but fails at once
   * without running, because the retry timeout has passed. The worker knows nothing of the
   * timeout and keeps asking for attempts, so the host answers them this way.
   */
  constructor(
    private readonly scheduler: TaskScheduler,
    private readonly options: RetryOptionsPayload,
    private readonly scheduleAttempt: (expired: boolean) => LeafTask,
  ) {
    super();
  }

  start(): void {
    this.firstAttemptAt = this.scheduler.now().getTime();
    this.startAttempt();
  }

  private startAttempt(): void {
    const timeout = this.options.retryTimeoutInMilliseconds;
    const expired =
      this.attemptNumber > 1 &&
      timeout !== undefined &&
      timeout > 0 &&
      this.scheduler.now().getTime() - this.firstAttemptAt >= timeout;
    this.attempt = this.scheduleAttempt(expired);
    this.attempt.parent = this;
    this.attempt.start();
  }

  override childSettled(child: HostTask): void {
    if (child === this.attempt) {
      if (!child.failed) {
        this.settle(false);
        return;
      }
      // The worker always waits for a timer after a failure, even the last one (DTFx's
      // back-compat dummy timer), and only then gives up.
      this.attemptNumber++;
      const timeout = this.options.retryTimeoutInMilliseconds;
      const timedOut =
        timeout !== undefined &&
        timeout > 0 &&
        this.scheduler.now().getTime() - this.firstAttemptAt >= timeout;
      const lastAttempt = timedOut || this.attemptNumber > this.options.maxNumberOfAttempts;
      const delay = lastAttempt ? 0 : this.nextDelay();
      this.failuresSoFar++;
      this.timer = this.scheduler.timerLeaf(new Date(this.scheduler.now().getTime() + delay));
      this.timer.parent = this;
      this.timer.start();
    } else if (child === this.timer) {
      if (this.attemptNumber > this.options.maxNumberOfAttempts) this.settle(true);
      else this.startAttempt();
    }
  }

  private nextDelay(): number {
    const coefficient = this.options.backoffCoefficient ?? 1;
    const delay = this.options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, this.failuresSoFar);
    const cap = this.options.maxRetryIntervalInMilliseconds;
    return cap !== undefined && cap > 0 ? Math.min(delay, cap) : delay;
  }
}

/** A timer beyond the provider's maximum, split into hops the way the worker mirrors it. */
export class LongTimerTask extends HostTask {
  private current: LeafTask | undefined;

  constructor(
    private readonly scheduler: TaskScheduler,
    private readonly finalFireAt: Date,
    private readonly maximumShortTimerMs: number,
    private readonly intervalMs: number,
  ) {
    super();
  }

  start(): void {
    this.scheduleHop();
  }

  private scheduleHop(): void {
    const now = this.scheduler.now();
    const remaining = this.finalFireAt.getTime() - now.getTime();
    const fireAt =
      remaining > this.maximumShortTimerMs ? new Date(now.getTime() + this.intervalMs) : this.finalFireAt;
    this.current = this.scheduler.timerLeaf(fireAt);
    this.current.parent = this;
    this.current.start();
  }

  override childSettled(child: HostTask): void {
    if (child !== this.current) return;
    if (this.finalFireAt.getTime() > this.scheduler.now().getTime()) this.scheduleHop();
    else this.settle(false);
  }
}

/** callHttp with the 202 + Location polling pattern: request, timer, GET Location, and so on. */
export class HttpPollingTask extends HostTask {
  private request: LeafTask | undefined;
  private timer: LeafTask | undefined;
  private pendingPoll: LeafTask | undefined;

  constructor(
    private readonly scheduler: TaskScheduler,
    private readonly httpRequest: DurableHttpRequestPayload,
    private readonly defaultSleepMs: number,
    private readonly scheduleRequest: (request: DurableHttpRequestPayload) => LeafTask,
  ) {
    super();
  }

  start(): void {
    this.request = this.scheduleRequest(this.httpRequest);
    this.request.parent = this;
    this.request.start();
  }

  override childSettled(child: HostTask): void {
    if (child === this.timer && this.pendingPoll) {
      // The worker numbered the poll together with the timer; it may only be sent now.
      this.pendingPoll.released = true;
      this.request = this.pendingPoll;
      this.pendingPoll = undefined;
      return;
    }
    if (child !== this.request) return;
    if (child.failed) {
      this.settle(true);
      return;
    }
    const response = readHttpResponse(this.request.completion);
    const location = response && header(response, "Location");
    if (!response || response.statusCode !== 202 || !location) {
      this.settle(false);
      return;
    }
    const retryAfter = header(response, "Retry-After");
    const seconds = retryAfter !== undefined ? Number(retryAfter) : NaN;
    const delay = Number.isFinite(seconds) ? seconds * 1000 : this.defaultSleepMs;
    this.timer = this.scheduler.timerLeaf(new Date(this.scheduler.now().getTime() + delay));
    this.timer.parent = this;
    this.pendingPoll = this.scheduleRequest({
      ...this.httpRequest,
      method: "GET",
      uri: location,
      content: undefined,
    });
    this.pendingPoll.released = false;
    this.pendingPoll.parent = this;
    this.timer.start();
  }
}

function readHttpResponse(event: LeafTask["completion"]): DurableHttpResponsePayload | undefined {
  if (!event || event.EventType !== HistoryEventType.TaskCompleted) return undefined;
  try {
    const value: unknown = JSON.parse(event.Result);
    return typeof value === "object" && value !== null && "statusCode" in value
      ? (value as DurableHttpResponsePayload)
      : undefined;
  } catch {
    return undefined;
  }
}

function header(response: DurableHttpResponsePayload, name: string): string | undefined {
  for (const [key, value] of Object.entries(response.headers ?? {})) {
    if (key.toLowerCase() === name.toLowerCase()) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** waitForExternalEvent: numbers nothing; settles on an EventRaised with its name. */
export class EventWaitTask extends HostTask {
  constructor(
    private readonly scheduler: TaskScheduler,
    readonly eventName: string,
  ) {
    super();
  }

  start(): void {
    this.scheduler.waitForEvent(this);
  }

  deliver(): void {
    this.settle(false);
  }
}
