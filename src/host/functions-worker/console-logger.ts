import type { FunctionAppLogger, LogLevel } from "./invocation-types";

const RANK: Record<LogLevel, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

/**
 * The logger of a host that gives none: the app's own logs, and only the worker's warnings and
 * errors, whose debug chatter would drown them.
 */
export const consoleLogger: FunctionAppLogger = (level, functionName, message, category) => {
  if (level === "none" || (category !== "user" && RANK[level] < RANK.warning)) {
    return;
  }
  const line = functionName ? `[${functionName}] ${message}` : message;
  if (RANK[level] >= RANK.error) {
    console.error(line);
  } else if (level === "warning") {
    console.warn(line);
  } else if (RANK[level] <= RANK.debug) {
    console.debug(line);
  } else {
    console.log(line);
  }
};
