import { WorkItemFailures } from "../../../src/engine/work-item-failures";
import { PermanentFailure } from "../../../src/providers/failures";

const settings = { maxAttempts: 3, firstRetryDelayMs: 1000, maxRetryDelayMs: 3000 };

describe("WorkItemFailures", () => {
  it("backs off a passing failure, doubling up to the limit, and gives up after maxAttempts", () => {
    const failures = new WorkItemFailures(settings);
    const delays = [1, 2, 3].map(() => failures.record("a", new Error("503 from storage")));

    expect(delays).toEqual([1000, 2000, 3000]);
    expect(failures.giveUpReason("a")).toContain("failed 3 times in a row");
    expect(failures.giveUpReason("a")).toContain("Error: 503 from storage");
  });

  it("tries a permanent failure once more at once, and then gives up", () => {
    const failures = new WorkItemFailures(settings);

    expect(failures.record("a", new PermanentFailure("the value is too large"))).toBe(0);
    expect(failures.giveUpReason("a")).toContain("cannot succeed however often it is tried");
  });

  it("counts each instance on its own, and forgets one that succeeds", () => {
    const failures = new WorkItemFailures(settings);
    failures.record("a", new Error("x"));
    failures.record("a", new Error("x"));
    failures.record("b", new Error("y"));
    failures.succeeded("a");
    failures.record("a", new Error("x"));

    expect(failures.list().map((f) => [f.instanceId, f.attempts])).toEqual([
      ["b", 1],
      ["a", 1],
    ]);
    expect(failures.giveUpReason("a")).toBeUndefined();
  });

  it("writes the status row alone when failing the instance could not be written, then backs off", () => {
    const failures = new WorkItemFailures(settings);
    failures.record("a", new PermanentFailure("refused"));

    expect(failures.gaveUpBefore("a")).toBe(false);
    expect(failures.giveUpFailed("a", new Error("still refused"))).toBe(0);
    expect(failures.gaveUpBefore("a")).toBe(true);
    expect(failures.giveUpFailed("a", new Error("storage down"))).toBeGreaterThan(0);
  });

  it("treats a payload that does not parse as permanent", () => {
    const failures = new WorkItemFailures(settings);
    let parseError: unknown;
    try {
      JSON.parse("not json");
    } catch (error) {
      parseError = error;
    }

    expect(failures.record("a", parseError)).toBe(0);
    expect(failures.giveUpReason("a")).toContain("SyntaxError");
  });
});
