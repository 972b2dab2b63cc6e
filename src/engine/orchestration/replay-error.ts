import { HistoryEventType, type HistoryEvent } from "../../protocol/history";

/**
 * The actions an orchestrator returned do not line up with its recorded history: the code is
 * not deterministic, or it changed while instances were in flight.
 */
export class OrchestrationReplayError extends Error {
  constructor(
    instanceId: string,
    recorded: HistoryEvent,
    position: number,
    expected: HistoryEvent | undefined,
  ) {
    super(
      `Non-deterministic orchestration '${instanceId}': history position ${position} holds ${describe(recorded)}, ` +
        `but the orchestrator ${expected ? `scheduled ${describe(expected)}` : "scheduled nothing"} there.`,
    );
    this.name = "OrchestrationReplayError";
  }
}

function describe(event: HistoryEvent): string {
  const name = "Name" in event && typeof event.Name === "string" ? ` '${event.Name}'` : "";
  return `${HistoryEventType[event.EventType]}${name} #${event.EventId}`;
}
