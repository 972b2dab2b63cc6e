/** PhoneVerification answered more than once: one expiry timer raced against every answer. */
import { DurableTestHub } from "durable-ts/testing";
import "../../functions";

let hub: DurableTestHub;

beforeEach(async () => {
  // Time stands still, so the 90-second expiry cannot win while the test answers.
  hub = await DurableTestHub.start({ autoAdvanceTime: false });
});

afterEach(async () => {
  await hub.stop();
});

async function startChallenge(): Promise<{ id: string; code: number }> {
  const id = await hub.startOrchestration("PhoneVerification", "+1555");
  await hub.whenIdle();
  const sent = (await hub.getHistory(id)).find((e) => e.EventType === 5);
  if (sent?.EventType !== 5) throw new Error("the challenge was not sent");
  return { id, code: JSON.parse(sent.Result) as number };
}

describe("PhoneVerification", () => {
  it("takes the right answer after a wrong one", async () => {
    const { id, code } = await startChallenge();
    await hub.raiseEvent(id, "SmsChallengeResponse", code === 1000 ? 1001 : 1000);
    await hub.whenIdle();
    await hub.raiseEvent(id, "SmsChallengeResponse", code);
    const status = await hub.waitForCompletion(id);
    expect(status.runtimeStatus).toBe("Completed");
    expect(status.output).toEqual({ verified: true, attempts: 2 });
    // The expiry timer was scheduled once, however many answers it was raced against.
    expect((await hub.getHistory(id)).filter((e) => e.EventType === 10)).toHaveLength(1);
  });

  it("gives up after three wrong answers", async () => {
    const { id, code } = await startChallenge();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await hub.raiseEvent(id, "SmsChallengeResponse", code + attempt);
      await hub.whenIdle();
    }
    const status = await hub.waitForCompletion(id);
    expect(status.output).toEqual({ verified: false, reason: "too many wrong answers" });
  });

  it("expires after a wrong answer when no other comes", async () => {
    const { id, code } = await startChallenge();
    await hub.raiseEvent(id, "SmsChallengeResponse", code + 1);
    await hub.whenIdle();
    hub.advanceTime(91_000);
    const status = await hub.waitForCompletion(id);
    expect(status.output).toEqual({ verified: false, reason: "expired" });
  });
});
