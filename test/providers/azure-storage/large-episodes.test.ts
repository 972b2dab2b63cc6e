/**
 * Episodes that write more history rows than one table transaction takes (100): the commit
 * spans several transactions, each moving the sentinel under the ETag the previous one left.
 */
import * as df from "../../../src/index";
import { ScenarioHub } from "./azure-test-hub";

df.app.activity("LargeEpisodeSquare", { handler: (n: number) => n * n });

df.app.orchestration("LargeEpisodeTwoFanOuts", function* (context) {
  const width = context.df.getInput<number>() ?? 0;
  const square = (i: number) => context.df.callActivity("LargeEpisodeSquare", i);
  const first: number[] = yield context.df.Task.all(Array.from({ length: width }, (_, i) => square(i)));
  // The second fan-out's episode appends to an existing history: updates only.
  const second: number[] = yield context.df.Task.all(Array.from({ length: width }, (_, i) => square(i + 1)));
  return [first, second].map((results) => results.reduce((sum, n) => sum + n, 0));
});

describe("large episodes on Azure Storage", () => {
  let scenario: ScenarioHub;
  afterEach(async () => {
    await scenario.dispose();
  });

  it("commits episodes of 250 new events, in one new history and in one that grows", async () => {
    scenario = await ScenarioHub.create();
    await scenario.startWorker();
    const id = await scenario.client.startNew("LargeEpisodeTwoFanOuts", { input: "250" });

    const state = await scenario.client.waitForCompletion(id, 60_000);
    const sumOfSquares = (n: number) => ((n - 1) * n * (2 * n - 1)) / 6;
    expect(state?.runtimeStatus).toBe("Completed");
    expect(JSON.parse(state?.output ?? "null")).toEqual([sumOfSquares(250), sumOfSquares(251)]);
    expect(scenario.errors).toEqual([]);
  }, 90_000);
});
