/** Runs a scenario through the fake host driven by the official worker, and checks ours at every episode. */
import { simulate, type Episode, type SimulationOptions } from "./fake-host";
import { officialHandler, oursHandler, type DurableApi, type Orchestrator } from "./apis";
import { invokeHandler, type WorkerOutcome } from "./worker-outcome";

/** What must be equal between the two workers: the kind of outcome and its exact text. */
export function comparable(outcome: WorkerOutcome): { kind: string; text: string } {
  return { kind: outcome.kind, text: outcome.kind === "state" ? outcome.json : outcome.message };
}

export async function expectSameAtEveryEpisode(
  make: (api: DurableApi) => Orchestrator,
  options: SimulationOptions = {},
): Promise<Episode[]> {
  const episodes = await simulate(officialHandler(make), options);
  const ours = oursHandler(make);
  for (const [index, episode] of episodes.entries()) {
    const mine = await invokeHandler(ours, episode.trigger);
    const expected = comparable(episode.outcome);
    const actual = comparable(mine);
    if (actual.kind !== expected.kind || actual.text !== expected.text) {
      throw new Error(
        `episode ${index + 1} (execution ${episode.execution}) differs\n` +
          `official (${expected.kind}): ${expected.text}\n` +
          `ours     (${actual.kind}): ${actual.text}\n` +
          `history: ${JSON.stringify(episode.trigger.history)}`,
      );
    }
  }
  return episodes;
}

/** The last outcome of a simulation: where the orchestration ended up. */
export function finalOutcome(episodes: Episode[]): WorkerOutcome {
  const last = episodes.at(-1);
  if (last === undefined) {
    throw new Error("no episode ran");
  }
  return last.outcome;
}
