/**
 * A duration as the host sends it (.NET TimeSpan text "d.hh:mm:ss.fffffff"), kept as whole days
 * plus milliseconds because that is how its ISO form is written in error messages.
 */
export interface TimeSpan {
  days: number;
  milliseconds: number;
}

const DOTNET_TIME_SPAN = /^([-+])?(?:(\d*)[. ])?(\d+):(\d+)(?::(\d+)(\.\d*)?)?$/;
const ISO_DURATION =
  /^([-+])?P(?:([-+]?[\d.,]*)Y)?(?:([-+]?[\d.,]*)M)?(?:([-+]?[\d.,]*)W)?(?:([-+]?[\d.,]*)D)?(?:T(?:([-+]?[\d.,]*)H)?(?:([-+]?[\d.,]*)M)?(?:([-+]?[\d.,]*)S)?)?$/;
const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/**
 * Parses a duration the way durable-functions 3.5.0 does (through moment): .NET TimeSpan text,
 * ISO-8601 durations, or a bare number of milliseconds. Anything else is a zero duration, not an
 * error, exactly as there.
 */
export function parseTimeSpan(text: string): TimeSpan {
  const dotnet = DOTNET_TIME_SPAN.exec(text);
  if (dotnet) {
    const sign = dotnet[1] === "-" ? -1 : 1;
    const fraction = dotnet[6] ? Math.round(Number(dotnet[6]) * MS_PER_SECOND) : 0;
    const milliseconds =
      Number(dotnet[3]) * MS_PER_HOUR +
      Number(dotnet[4]) * MS_PER_MINUTE +
      Number(dotnet[5] ?? 0) * MS_PER_SECOND +
      fraction;
    return { days: sign * Number(dotnet[2] || 0), milliseconds: sign * milliseconds };
  }
  const iso = ISO_DURATION.exec(text);
  if (iso) {
    const sign = iso[1] === "-" ? -1 : 1;
    const part = (index: number): number => Number((iso[index] ?? "0").replace(",", ".")) || 0;
    // Years and months have no fixed length; these are the lengths moment compares them with.
    const days = part(2) * 365 + part(3) * 30 + part(4) * 7 + part(5);
    const milliseconds = part(6) * MS_PER_HOUR + part(7) * MS_PER_MINUTE + part(8) * MS_PER_SECOND;
    return { days: sign * days, milliseconds: sign * Math.round(milliseconds) };
  }
  const asNumber = Number(text);
  return { days: 0, milliseconds: Number.isNaN(asNumber) ? 0 : asNumber };
}

export function totalMilliseconds(span: TimeSpan): number {
  return span.days * MS_PER_DAY + span.milliseconds;
}

/** The ISO-8601 form moment gives the same duration ("P3D", "PT72H", "P1DT2H3M4.5S"). */
export function formatIsoDuration(span: TimeSpan): string {
  const total = totalMilliseconds(span);
  if (total === 0) {
    return "P0D";
  }
  const sign = total < 0 ? "-" : "";
  const days = Math.abs(span.days);
  const restMs = Math.abs(span.milliseconds);
  const hours = Math.floor(restMs / MS_PER_HOUR);
  const minutes = Math.floor((restMs % MS_PER_HOUR) / MS_PER_MINUTE);
  const seconds = (restMs % MS_PER_MINUTE) / MS_PER_SECOND;
  const secondsText = seconds.toFixed(3).replace(/\.?0+$/, "");
  return (
    `${sign}P` +
    (days ? `${days}D` : "") +
    (hours || minutes || seconds ? "T" : "") +
    (hours ? `${hours}H` : "") +
    (minutes ? `${minutes}M` : "") +
    (seconds ? `${secondsText}S` : "")
  );
}

/**
 * A duration given as a loose value: a number (or numeric text) of `unitMs` units, else duration
 * text. This is how the official worker reads Retry-After headers and the polling interval.
 */
export function durationFromValue(value: unknown, unitMs: number): number {
  const asNumber = Number(value);
  return Number.isNaN(asNumber) ? totalMilliseconds(parseTimeSpan(String(value))) : asNumber * unitMs;
}
