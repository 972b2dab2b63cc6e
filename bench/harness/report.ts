import type { Provider } from "./bench-host";
import type { Measurement } from "./scenarios";

export interface ScenarioResult extends Measurement {
  scenario: string;
  provider: Provider;
  /** Requests to storage during the scenario, by kind. */
  storageOperations: Record<string, number>;
  /** Milliseconds those requests took, by kind, summed (they overlap, so not wall time). */
  storageMilliseconds: Record<string, number>;
  peakRssBytes: number;
}

export interface BenchReport {
  date: string;
  smoke: boolean;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string };
  results: ScenarioResult[];
}

/** The results as a markdown table: one row per scenario and provider. */
export function markdownReport(report: BenchReport): string {
  const lines = [
    `Benchmarks, ${report.date}${report.smoke ? " (smoke sizes)" : ""}: ${report.machine.cpus} CPUs ` +
      `(${report.machine.cpuModel}), Node ${report.machine.node}`,
    "",
    "| scenario | provider | figures | wall | storage ops | storage ops per unit | peak RSS |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const result of report.results) {
    const total = Object.values(result.storageOperations).reduce((sum, n) => sum + n, 0);
    const perUnit = Object.entries(result.units)
      .map(([unit, count]) => `${round(total / count)}/${unit}`)
      .join(", ");
    lines.push(
      `| ${result.scenario} | ${result.provider} | ${formatFigures(result.figures)} | ` +
        `${(result.wallMs / 1000).toFixed(2)} s | ${total} | ${perUnit || "-"} | ` +
        `${Math.round(result.peakRssBytes / 2 ** 20)} MB |`,
    );
  }
  lines.push("", "Storage operations by kind (count, mean ms from request to response end):", "");
  for (const result of report.results) {
    if (result.provider !== "azure") continue;
    const kinds = Object.entries(result.storageOperations)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => `${kind} ${n} (${round((result.storageMilliseconds[kind] ?? 0) / n)} ms)`)
      .join(", ");
    lines.push(`- ${result.scenario}: ${kinds || "none"}`);
  }
  return lines.join("\n");
}

function formatFigures(figures: Record<string, number>): string {
  return Object.entries(figures)
    .map(([name, value]) => `${value} ${name}`)
    .join(", ");
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
