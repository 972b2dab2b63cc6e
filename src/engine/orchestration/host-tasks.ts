import type { HistoryEvent } from "../../protocol/history";
import { HistoryEventType } from "../../protocol/history";
import type { TaskMessage } from "../../providers/task-hub";

/**
 * The host's mirror of the tasks an orchestrator has yielded. The worker numbers its tasks in
 * the order it tracks them; the host must give every scheduling event (TaskScheduled,
 * TimerCreated, SubOrchestrationInstanceCreated, EventSent) the same number in the same order,
 * including the tasks the host adds itself (retry timers, long-timer hops, HTTP polling), so it
 * replays the actions against history with the same rules the worker follows.
 */
export abstract class HostTask {
  settled = false;
  failed = false;
  parent: HostTask | undefined;
  private repeats: RepeatTask[] | undefined;

  abstract start(): void;

  protected settle(failed: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.failed = failed;
    this.parent?.childSettled(this);
    for (const repeat of this.repeats ?? []) repeat.originalSettled();
  }

  /** A later compound waits on this task too; `parent` stays the compound that yielded it first. */
  addRepeat(repeat: RepeatTask): void {
    (this.repeats ??= []).push(repeat);
  }

  /** Called when a child task settles. */
  childSettled(_child: HostTask): void {}
}

/** What a leaf writes to history and sends when it is scheduled for the first time. */
export interface LeafSchedule {
  event: HistoryEvent;
  /** For activities: the work-item message. */
  activityMessage?: TaskMessage;
  /** For everything else: messages to instances (timers, sub-orchestration starts, entity messages). */
  orchestratorMessages?: TaskMessage[];
  /** For entity calls and lock requests: the request id their response event is named after. */
  requestId?: string;
}

export type CompletionEvent = Extract<
  HistoryEvent,
  {
    EventType:
      | HistoryEventType.TaskCompleted
      | HistoryEventType.TaskFailed
      | HistoryEventType.SubOrchestrationInstanceCompleted
      | HistoryEventType.SubOrchestrationInstanceFailed
      | HistoryEventType.TimerFired
      | HistoryEventType.EventRaised;
  }
>;

/** One numbered task: owns exactly one scheduling event. */
export class LeafTask extends HostTask {
  /** Whether history already holds the scheduling event. */
  recorded = false;
  /** Leaves can be numbered before they may be sent (the HTTP poll after its timer). */
  released = true;
  completion: CompletionEvent | undefined;

  constructor(
    readonly seq: number,
    public schedule: LeafSchedule,
    /** Fire-and-forget leaves (signals, releases) settle as soon as they are numbered. */
    readonly awaitsCompletion: boolean,
  ) {
    super();
  }

  start(): void {
    if (!this.awaitsCompletion) this.settle(false);
  }

  complete(event: CompletionEvent): void {
    if (this.settled) return;
    this.completion = event;
    const failed =
      event.EventType === HistoryEventType.TaskFailed ||
      event.EventType === HistoryEventType.SubOrchestrationInstanceFailed;
    this.settle(failed);
  }

  get expectedType(): HistoryEventType {
    return this.schedule.event.EventType;
  }

  get expectedName(): string | undefined {
    const event = this.schedule.event;
    return "Name" in event && typeof event.Name === "string" ? event.Name : undefined;
  }
}

/** A task that settles as soon as it starts (continue-as-new) or never numbers anything. */
export class ImmediateTask extends HostTask {
  start(): void {
    this.settle(false);
  }
}

export class WhenAllTask extends HostTask {
  constructor(private readonly children: HostTask[]) {
    super();
    for (const child of children) child.parent = this;
  }

  start(): void {
    for (const child of this.children) child.start();
    this.check();
  }

  override childSettled(child: HostTask): void {
    // The worker fails a WhenAll at its first failing child.
    if (child.failed) this.settle(true);
    else this.check();
  }

  private check(): void {
    if (this.children.every((c) => c.settled)) this.settle(this.children.some((c) => c.failed));
  }
}

export class WhenAnyTask extends HostTask {
  constructor(private readonly children: HostTask[]) {
    super();
    for (const child of children) child.parent = this;
  }

  start(): void {
    for (const child of this.children) child.start();
    if (this.children.length === 0 || this.children.some((c) => c.settled)) this.settle(false);
  }

  override childSettled(): void {
    this.settle(false);
  }
}

/**
 * A task the worker yields again, inside a new WhenAll/WhenAny, while it is still pending. The
 * worker does not number it again, so the host must not schedule it again either: it only waits
 * for the task it already has.
 */
export class RepeatTask extends HostTask {
  constructor(readonly original: HostTask) {
    super();
  }

  start(): void {
    if (this.original.settled) this.originalSettled();
    else this.original.addRepeat(this);
  }

  originalSettled(): void {
    this.settle(this.original.failed);
  }
}
