import { systemClock } from "../../../../src/providers/clock";
import { isObservableClock, VirtualClock } from "../../../../src/providers/memory";

describe("VirtualClock", () => {
  const start = "2024-01-01T00:00:00.000Z";

  it("starts at the given time and stands still", async () => {
    const clock = new VirtualClock(start);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(clock.now().toISOString()).toBe(start);
  });

  it("starts at the real now by default", () => {
    const before = Date.now();
    const now = new VirtualClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it("hands out copies, so callers cannot move it", () => {
    const clock = new VirtualClock(start);
    clock.now().setFullYear(2030);
    expect(clock.now().toISOString()).toBe(start);
  });

  it("moves forward by a duration or to a time, and tells its listeners", () => {
    const clock = new VirtualClock(start);
    const seen: string[] = [];
    clock.onAdvance((now) => seen.push(now.toISOString()));

    expect(clock.advance(1000).toISOString()).toBe("2024-01-01T00:00:01.000Z");
    clock.advanceTo(new Date("2024-01-08T00:00:00.000Z"));

    expect(seen).toEqual(["2024-01-01T00:00:01.000Z", "2024-01-08T00:00:00.000Z"]);
  });

  it("never moves back, and stays quiet when asked to", () => {
    const clock = new VirtualClock(start);
    const listener = jest.fn();
    clock.onAdvance(listener);

    clock.advanceTo("2023-12-31T00:00:00.000Z");
    clock.advance(0);

    expect(clock.now().toISOString()).toBe(start);
    expect(listener).not.toHaveBeenCalled();
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it("stops telling a listener once it unsubscribes", () => {
    const clock = new VirtualClock(start);
    const listener = jest.fn();
    const unsubscribe = clock.onAdvance(listener);
    unsubscribe();
    clock.advance(1);
    expect(listener).not.toHaveBeenCalled();
  });

  it("is recognised as observable, unlike the system clock", () => {
    expect(isObservableClock(new VirtualClock())).toBe(true);
    expect(isObservableClock(systemClock)).toBe(false);
  });
});
