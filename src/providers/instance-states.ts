import type { ExecutionStartedEvent } from "../protocol/history";
import type { InstanceChangeListener, InstanceState, TaskMessage } from "./task-hub";

/** The status row a provider records when a client creates an instance, before it runs. */
export function pendingInstanceState(
  message: TaskMessage,
  event: ExecutionStartedEvent,
  now: Date,
  previous: InstanceState | undefined,
): InstanceState {
  const visibleAtMs = message.visibleAt === undefined ? 0 : Date.parse(message.visibleAt);
  const scheduledStart = visibleAtMs > now.getTime() ? new Date(visibleAtMs).toISOString() : null;
  return {
    instanceId: message.instance.instanceId,
    name: event.Name,
    version: event.Version,
    executionId: event.OrchestrationInstance.ExecutionId,
    runtimeStatus: "Pending",
    input: event.Input,
    output: null,
    customStatus: null,
    createdTime: event.Timestamp,
    lastUpdatedTime: now.toISOString(),
    completedTime: null,
    parentInstanceId: event.ParentInstance?.OrchestrationInstance.InstanceId ?? null,
    scheduledStartTime: event.ScheduledStartTime ?? scheduledStart,
    generation: previous ? previous.generation + 1 : 0,
  };
}

/** The subscribers of a provider's `onInstanceChanged`. */
export class InstanceListeners {
  private readonly listeners = new Set<InstanceChangeListener>();

  subscribe(listener: InstanceChangeListener): () => void {
    // A wrapper, so that subscribing the same function twice gives two subscriptions.
    const subscription: InstanceChangeListener = (instanceId, state) => listener(instanceId, state);
    this.listeners.add(subscription);
    return () => {
      this.listeners.delete(subscription);
    };
  }

  notify(instanceId: string, state?: InstanceState): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(instanceId, state);
      } catch {
        // A hint for waiters: one failing listener must not fail the commit it reports.
      }
    }
  }
}
