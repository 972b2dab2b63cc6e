import * as events from "../../../src/engine/history-events";
import { RemoteActionError, applyRemoteActions } from "../../../src/engine/orchestration/apply-actions";
import type { RemoteAction } from "../../../src/engine/orchestration/remote-executor";
import { OrchestrationStatusCode, type HistoryEvent } from "../../../src/protocol/history";

const at = "2026-01-02T03:04:05.000Z";
const self = { instanceId: "i1", executionId: "e1" };
const started: HistoryEvent[] = [
  events.orchestratorStarted(at),
  events.executionStarted({ instanceId: "i1", executionId: "e1", name: "seq", input: null, timestamp: at }),
];
const schedule = (id: number, name = "say", input: string | null = '"x"'): RemoteAction => ({
  id,
  kind: "scheduleTask",
  name,
  version: null,
  input,
});

describe("applying the actions a remote worker numbered", () => {
  it("records a new task under the worker's number, with its activity message", () => {
    const applied = applyRemoteActions(self, started, [schedule(1, "say", '"Tokyo"')], at);
    expect(applied.newEvents).toEqual([events.taskScheduled(1, "say", '"Tokyo"', at)]);
    expect(applied.activityMessages).toEqual([{ event: applied.newEvents[0], instance: self }]);
    expect(applied.completion).toBeUndefined();
  });

  it("adds nothing for a task history already records under that number", () => {
    const history = [...started, events.taskScheduled(1, "say", '"x"', at)];
    const applied = applyRemoteActions(self, history, [schedule(1), schedule(2)], at);
    expect(applied.newEvents.map((e) => e.EventId)).toEqual([2]);
    expect(applied.activityMessages).toHaveLength(1);
  });

  it("applies actions in the worker's number order", () => {
    const applied = applyRemoteActions(self, started, [schedule(3, "c"), schedule(2, "b")], at);
    expect(applied.newEvents.map((e) => e.EventId)).toEqual([2, 3]);
  });

  it("refuses an action that history records as another task", () => {
    const history = [...started, events.taskScheduled(1, "say", '"x"', at)];
    expect(() => applyRemoteActions(self, history, [schedule(1, "shout")], at)).toThrow(RemoteActionError);
    expect(() => applyRemoteActions(self, history, [schedule(1, "shout")], at)).toThrow(
      /action 1 schedules activity 'shout', but history records activity 'say'/,
    );
  });

  it("returns the completion with its status, result and failure", () => {
    const failure = {
      ErrorType: "Error",
      ErrorMessage: "boom",
      StackTrace: null,
      InnerFailure: null,
      IsNonRetriable: false,
      Properties: null,
    };
    const applied = applyRemoteActions(
      self,
      started,
      [
        {
          id: 1,
          kind: "completeOrchestration",
          status: OrchestrationStatusCode.Failed,
          result: null,
          failureDetails: failure,
        },
      ],
      at,
    );
    expect(applied.completion).toEqual({
      status: OrchestrationStatusCode.Failed,
      result: null,
      failureDetails: failure,
    });
    expect(applied.newEvents).toEqual([]);
  });

  it("names an action it cannot apply yet", () => {
    expect(() =>
      applyRemoteActions(
        self,
        started,
        [{ id: 1, kind: "unsupported", description: "an action of kind CREATETIMER" }],
        at,
      ),
    ).toThrow(/CREATETIMER/);
  });
});
