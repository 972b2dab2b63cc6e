import {
  formatIsoDuration,
  parseTimeSpan,
  totalMilliseconds,
} from "../../../../src/sdk/orchestration/time-span";

describe("parseTimeSpan", () => {
  it.each([
    ["3.00:00:00", 3 * 86_400_000, "P3D"],
    ["6.00:00:00", 6 * 86_400_000, "P6D"],
    ["00:00:10", 10_000, "PT10S"],
    ["72:00:00", 72 * 3_600_000, "PT72H"],
    ["1.02:03:04.5678", 93_784_568, "P1DT2H3M4.568S"],
    ["1.2:3", 93_780_000, "P1DT2H3M"],
    ["P3D", 3 * 86_400_000, "P3D"],
    ["PT1H30M", 5_400_000, "PT1H30M"],
    ["3", 3, "PT0.003S"],
    ["abc", 0, "P0D"],
    ["", 0, "P0D"],
  ])("reads %p as moment does", (text, ms, iso) => {
    const span = parseTimeSpan(text);
    expect(totalMilliseconds(span)).toBe(ms);
    expect(formatIsoDuration(span)).toBe(iso);
  });
});

describe("parseTimeSpan against moment (what durable-functions 3.5.0 uses)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const moment = require("moment") as {
    duration(text: string): { valueOf(): number; toISOString(): string };
  };

  it.each(["3.00:00:00", "0.12:30:00", "10:00", "5.23:59:59.999", "P2DT3H", "PT90M", "42", "nonsense"])(
    "agrees on %p",
    (text) => {
      const span = parseTimeSpan(text);
      expect(totalMilliseconds(span)).toBe(moment.duration(text).valueOf());
      expect(formatIsoDuration(span)).toBe(moment.duration(text).toISOString());
    },
  );
});
