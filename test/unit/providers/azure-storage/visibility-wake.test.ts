import { VisibilityWake } from "../../../../src/providers/azure-storage/visibility-wake";

describe("VisibilityWake", () => {
  let wakes: number[];
  let wake: VisibilityWake;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    wakes = [];
    wake = new VisibilityWake(
      () => Date.now(),
      () => wakes.push(Date.now()),
    );
  });

  afterEach(() => {
    wake.clear();
    jest.useRealTimers();
  });

  it("wakes once at the earliest time, whatever order the times came in", () => {
    wake.add(1_005_000);
    wake.add(1_002_000);
    wake.add(1_002_000);
    jest.advanceTimersByTime(10_000);
    expect(wakes).toEqual([1_002_000, 1_005_000]);
    expect(wake.size).toBe(0);
  });

  it("shares one wake among times a moment apart", () => {
    for (const offset of [1000, 1050, 1150]) wake.add(1_000_000 + offset);
    jest.advanceTimersByTime(2000);
    expect(wakes).toEqual([1_001_000]);
  });

  it("wakes at once for a time already past, and not at all once cleared", () => {
    wake.add(999_000);
    wake.add(1_003_000);
    jest.advanceTimersByTime(1);
    expect(wakes).toEqual([1_000_001]);
    wake.clear();
    jest.advanceTimersByTime(10_000);
    expect(wakes).toEqual([1_000_001]);
  });

  it("waits out a time beyond what one timer can wait", () => {
    const inThirtyDays = 1_000_000 + 30 * 24 * 3600 * 1000;
    wake.add(inThirtyDays);
    jest.advanceTimersByTime(25 * 24 * 3600 * 1000);
    expect(wakes).toEqual([]);
    jest.advanceTimersByTime(5 * 24 * 3600 * 1000);
    expect(wakes).toEqual([inThirtyDays]);
  });
});
