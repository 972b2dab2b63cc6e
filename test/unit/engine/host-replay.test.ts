/**
 * HostReplay and tasks a compound yields again: the worker writes their actions out once per
 * compound but numbers each task once, so the host must schedule each task once.
 */
import { HostReplay } from "../../../src/engine/orchestration/host-replay";
import { ActionType, type OrchestratorAction } from "../../../src/protocol/actions";
import { HistoryEventType, type HistoryEvent } from "../../../src/protocol/history";
import { SchemaVersion } from "../../../src/protocol/orchestrator-state";
import { HistoryBuilder } from "../../differential/support/history-builder";

const TIMERS = {
  maximumShortTimerMs: 6 * 86_400_000,
  longRunningTimerIntervalMs: 3 * 86_400_000,
  defaultHttpPollingMs: 30_000,
};
const FIRE_AT = "2024-01-01T01:00:00.000Z";

const timer: OrchestratorAction = { actionType: ActionType.CreateTimer, fireAt: FIRE_AT, isCanceled: false };
const wait = (name: string): OrchestratorAction => ({
  actionType: ActionType.WaitForExternalEvent,
  externalEventName: name,
  reason: "ExternalEvent",
});
const activity = (name: string): OrchestratorAction => ({
  actionType: ActionType.CallActivity,
  functionName: name,
});
const any = (...children: OrchestratorAction[]): OrchestratorAction => ({
  actionType: ActionType.WhenAny,
  compoundActions: children,
});

/** What replaying `actions` against `history` newly schedules, as "<type> <EventId>". */
function newlyScheduled(actions: OrchestratorAction[], history: HistoryEvent[]): string[] {
  const replay = new HostReplay(
    { instanceId: "i", executionId: "e", name: "O" },
    actions,
    SchemaVersion.V3,
    TIMERS,
    new Date(history[0]?.Timestamp ?? "2024-01-01T00:00:00.000Z"),
  );
  return replay
    .run(history, false)
    .newEvents.map((e) => `${HistoryEventType[e.EventType]} ${"EventId" in e ? e.EventId : ""}`.trim());
}

const started = (): HistoryBuilder => new HistoryBuilder().episode(0).executionStarted();

describe("HostReplay with tasks yielded again", () => {
  it("does not schedule a pending timer a later WhenAny yields again", () => {
    const history = started()
      .timerCreated(0, FIRE_AT)
      .orchestratorCompleted()
      .episode()
      .eventRaised("Answer", 1);
    expect(newlyScheduled([any(wait("Answer"), timer), any(wait("Answer"), timer)], history.build())).toEqual(
      [],
    );
  });

  it("numbers the next task after the timer, and lets the timer settle the later WhenAny", () => {
    const history = started()
      .timerCreated(0, FIRE_AT)
      .orchestratorCompleted()
      .episode()
      .eventRaised("Answer", 1)
      .orchestratorCompleted()
      .episode()
      .timerFired(0, FIRE_AT);
    const actions = [any(wait("Answer"), timer), any(wait("Answer"), timer), activity("After")];
    expect(newlyScheduled(actions, history.build())).toEqual(["TaskScheduled 1"]);
  });

  it("schedules an identical task anew once the earlier one has completed", () => {
    const history = started()
      .taskScheduled(0, "Check")
      .timerCreated(1, FIRE_AT)
      .orchestratorCompleted()
      .episode()
      .taskCompleted(0, "not yet");
    const later = { ...timer, fireAt: "2024-01-01T02:00:00.000Z" };
    const actions = [any(activity("Check"), timer), any(activity("Check"), later)];
    expect(newlyScheduled(actions, history.build())).toEqual(["TaskScheduled 2", "TimerCreated 3"]);
  });

  it("schedules identical tasks of one action apart", () => {
    const actions = [
      { actionType: ActionType.WhenAll, compoundActions: [activity("Ping"), activity("Ping")] },
    ];
    expect(newlyScheduled(actions as OrchestratorAction[], started().build())).toEqual([
      "TaskScheduled 0",
      "TaskScheduled 1",
    ]);
  });

  it("schedules an identical action outside a compound anew, even while the earlier task is pending", () => {
    const history = started().taskScheduled(0, "Slow").orchestratorCompleted().episode().eventRaised("Go");
    // A task yielded again on its own gets no action from the worker, so this one is new.
    expect(newlyScheduled([any(wait("Go"), activity("Slow")), activity("Slow")], history.build())).toEqual([
      "TaskScheduled 1",
    ]);
  });
});
