/**
 * Payloads far beyond what a queue message (64 KiB) or a table property (64 KiB) can hold go
 * through the whole path: the start message, the activity request and response, an external
 * event, the history rows and the status row, all on Azurite with the real engine.
 */
import * as df from "../../../src/index";
import { HistoryEventType } from "../../../src/protocol/history";
import { ScenarioHub, eventsOfType, incompressibleText, sha256 } from "./azure-test-hub";

const INPUT_CHARS = 1024 * 1024;
const ACTIVITY_CHARS = 5 * 1024 * 1024;
const EVENT_CHARS = 200 * 1024;

interface LargeInput {
  seed: string;
  blob: string;
}

interface Digest {
  length: number;
  sha256: string;
}

function digest(text: string): Digest {
  return { length: text.length, sha256: sha256(text) };
}

df.app.orchestration("LargePayloadRoundTrip", function* (context) {
  const input = context.df.getInput<LargeInput>();
  const produced: string = yield context.df.callActivity("ProduceLargeResult", input);
  const event: { data: string } = yield context.df.waitForExternalEvent("LargeEvent");
  return {
    input: digest(input.blob),
    activity: digest(produced),
    event: digest(event.data),
    // Large enough that the output itself must leave the status and history rows.
    echo: event.data,
  };
});

df.app.activity("ProduceLargeResult", {
  handler: (input: LargeInput): string => {
    // Derived from the whole input, so a truncated or mangled request shows up in the result.
    return incompressibleText(ACTIVITY_CHARS, `${input.seed}:${sha256(input.blob)}`);
  },
});

describe("large payloads end to end on Azure Storage", () => {
  let scenario: ScenarioHub;

  beforeEach(async () => {
    scenario = await ScenarioHub.create();
  });

  afterEach(async () => {
    await scenario.dispose();
  });

  it("carries a 1 MB input, a 5 MB activity result and a 200 KB event through to an exact result", async () => {
    await scenario.startWorker();
    const input: LargeInput = {
      seed: "large-1",
      // Non-ASCII, so byte and character counts differ on every hop.
      blob: `ünïcödé 😀 ${incompressibleText(INPUT_CHARS, "input")}`,
    };
    const eventPayload = { data: `é${incompressibleText(EVENT_CHARS, "event")}` };
    const expectedActivity = incompressibleText(ACTIVITY_CHARS, `${input.seed}:${sha256(input.blob)}`);
    const inputText = JSON.stringify(input);
    const { client } = scenario;

    const instanceId = await client.startNew("LargePayloadRoundTrip", {
      instanceId: "large-1",
      input: inputText,
    });
    await client.raiseEvent(instanceId, "LargeEvent", JSON.stringify(eventPayload));
    const state = await client.waitForCompletion(instanceId, 45_000);

    expect({ status: state?.runtimeStatus, errors: scenario.errors }).toEqual({
      status: "Completed",
      errors: [],
    });
    const expectedOutput = {
      input: digest(input.blob),
      activity: digest(expectedActivity),
      event: digest(eventPayload.data),
      echo: eventPayload.data,
    };
    expect(JSON.parse(state?.output ?? "null")).toEqual(expectedOutput);
    expect(state?.input === inputText).toBe(true);

    const history = await client.getHistory(instanceId);
    const [started] = eventsOfType(history, HistoryEventType.ExecutionStarted);
    expect(started.Input === inputText).toBe(true);
    const [scheduled] = eventsOfType(history, HistoryEventType.TaskScheduled);
    // The extension stores an activity's input as a one-element array.
    expect(sha256(scheduled.Input ?? "")).toBe(sha256(JSON.stringify([input])));
    const [completed] = eventsOfType(history, HistoryEventType.TaskCompleted);
    expect(digest(completed.Result)).toEqual(digest(JSON.stringify(expectedActivity)));
    const [raised] = eventsOfType(history, HistoryEventType.EventRaised);
    expect(digest(raised.Input ?? "")).toEqual(digest(JSON.stringify(eventPayload)));
    const [ended] = eventsOfType(history, HistoryEventType.ExecutionCompleted);
    expect(ended.Result === state?.output).toBe(true);
  }, 55_000);
});
