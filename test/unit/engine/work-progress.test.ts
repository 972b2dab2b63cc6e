import { WorkProgress } from "../../../src/engine/work-progress";

describe("WorkProgress", () => {
  let nowMs = Date.parse("2024-01-01T00:00:00Z");
  const progress = (): WorkProgress => new WorkProgress(() => nowMs);

  it("counts finished and failed work items by kind over the last minute", () => {
    const counter = progress();
    counter.completed("orchestration", "a");
    counter.completed("activity", "a");
    counter.completed("activity", "b");
    counter.failed("entity", "@e@k");
    nowMs += 30_000;
    counter.completed("entity", "@e@x");

    expect(counter.snapshot()).toMatchObject({
      completedLastMinute: { orchestration: 1, entity: 1, activity: 2 },
      failedLastMinute: { orchestration: 0, entity: 1, activity: 0 },
      lastCompletedTime: "2024-01-01T00:00:30.000Z",
    });

    nowMs += 31_000;
    expect(counter.snapshot()).toMatchObject({
      completedLastMinute: { orchestration: 0, entity: 1, activity: 0 },
      failedLastMinute: { orchestration: 0, entity: 0, activity: 0 },
    });
  });

  it("lists the instances whose latest work item failed until one of theirs finishes", () => {
    const counter = progress();
    counter.failed("orchestration", "stuck");
    counter.failed("orchestration", "stuck");
    counter.failed("orchestration", "flaky");
    counter.completed("orchestration", "flaky");

    expect(counter.snapshot().failingInstances).toEqual([
      { instanceId: "stuck", kind: "orchestration", failures: 2, since: new Date(nowMs).toISOString() },
    ]);
  });

  it("says nothing finished yet before the first work item", () => {
    expect(progress().snapshot()).toEqual({
      completedLastMinute: { orchestration: 0, entity: 0, activity: 0 },
      failedLastMinute: { orchestration: 0, entity: 0, activity: 0 },
      lastCompletedTime: null,
      failingInstances: [],
    });
  });
});
