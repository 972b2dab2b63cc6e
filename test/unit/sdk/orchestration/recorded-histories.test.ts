/**
 * Recorded histories (test/fixtures/histories/*.json, every episode of a run recorded with
 * durable-functions 3.5.0): replaying them must give exactly the recorded outcome, every time.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { OrchestrationTriggerPayload, OrchestratorStatePayload } from "../../../../src/protocol";
import { oursHandler } from "../../../differential/support/apis";
import { invokeHandler, type WorkerOutcome } from "../../../differential/support/worker-outcome";
import { recordedScenarios } from "./recorded-orchestrators";

interface RecordedEpisode {
  trigger: OrchestrationTriggerPayload;
  outcome:
    { kind: "state"; state: OrchestratorStatePayload } | { kind: "failure" | "error"; message: string };
}

interface Fixture {
  orchestrator: string;
  episodes: RecordedEpisode[];
}

const FIXTURES = join(__dirname, "../../../fixtures/histories");
const fixtures = readdirSync(FIXTURES)
  .filter((file) => file.endsWith(".json"))
  .map((file) => [file, JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as Fixture] as const);

function asRecorded(outcome: WorkerOutcome): RecordedEpisode["outcome"] {
  return outcome.kind === "state"
    ? { kind: "state", state: outcome.state }
    : { kind: outcome.kind, message: outcome.message };
}

describe("recorded histories", () => {
  it("are there", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(fixtures)("%s", (_file, fixture) => {
    const scenario = recordedScenarios[fixture.orchestrator];
    const handler = oursHandler(scenario.orchestrator);

    it("replays every episode to the recorded outcome", async () => {
      for (const episode of fixture.episodes) {
        expect(asRecorded(await invokeHandler(handler, episode.trigger))).toEqual(episode.outcome);
      }
    });

    it("replays the last episode identically, again and again", async () => {
      const last = fixture.episodes[fixture.episodes.length - 1];
      const runs = await Promise.all([1, 2, 3].map(() => invokeHandler(handler, last.trigger)));
      const texts = runs.map((run) => (run.kind === "state" ? run.json : run.message));
      expect(new Set(texts).size).toBe(1);
    });
  });
});
