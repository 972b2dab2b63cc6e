/** The host's side of the worker: what it asks a loaded app to run and what it gets back. */

export type LogLevel = "trace" | "debug" | "information" | "warning" | "error" | "critical" | "none";

/** "user" for `context.log` and friends; "system" for what @azure/functions or the worker says. */
export type LogCategory = "user" | "system" | "customMetric";

/** Where the app's logs go. `functionName` is undefined for logs outside an invocation. */
export type FunctionAppLogger = (
  level: LogLevel,
  functionName: string | undefined,
  message: string,
  category: LogCategory,
) => void;

/** One binding of a function as the app declared it: route, methods, schedule... stay on it. */
export interface BindingInfo {
  name: string;
  type: string;
  direction: "in" | "out" | "inout";
  [property: string]: unknown;
}

export interface AppFunction {
  name: string;
  /** The binding whose type ends in "Trigger". */
  trigger: BindingInfo;
  /** Every binding, the trigger included; the return value's binding is named "$return". */
  bindings: readonly BindingInfo[];
}

export interface HostHttpRequest {
  method: string;
  /** Absolute, with the query string. */
  url: string;
  headers: Record<string, string>;
  /** Defaults to the query string of `url`. */
  query?: Record<string, string>;
  /** Route parameters. */
  params?: Record<string, string>;
  body?: Buffer;
}

export interface HostHttpCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: Date;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: "Strict" | "Lax" | "None";
  maxAge?: number;
}

export interface HostHttpResponse {
  status: number;
  /** Lower-case names, as the Fetch API's Headers yields them. */
  headers: Record<string, string>;
  /** Undefined when the response has no body. */
  body: Buffer | string | undefined;
  cookies?: HostHttpCookie[];
}

export interface HostTimerInfo {
  isPastDue: boolean;
  schedule?: { adjustForDST: boolean };
  /** Only with a schedule monitor; the times are ISO strings. */
  scheduleStatus?: { last: string; next: string; lastUpdated: string };
}

/**
 * The trigger's value. `value` covers every other trigger: with dataType "string" the value is
 * text the worker JSON-parses when it can (as the real host sends orchestration, activity and
 * entity payloads); with "json" it is any JSON value.
 */
export type TriggerValue =
  | { kind: "http"; request: HostHttpRequest }
  | { kind: "timer"; timer: HostTimerInfo }
  | { kind: "value"; value: unknown; dataType: "string" | "json" };

export interface InvocationInput {
  trigger: TriggerValue;
  /**
   * Values of input bindings by binding name. Strings reach the function JSON-parsed when they
   * parse, as RPC string data does; so a durableClient binding takes its payload as an object or
   * as its JSON text.
   */
  inputs?: Record<string, unknown>;
  /** Trigger metadata by name; @azure/functions ignores it for HTTP and timer triggers. */
  triggerMetadata?: Record<string, unknown>;
}

export interface InvocationResult {
  /**
   * What the function returned, as the host receives it: strings stay strings, objects come back
   * through JSON, bytes as a Buffer. An HTTP return value is the HostHttpResponse.
   */
  returnValue: unknown;
  /** The response of the function's HTTP output, from its return value or a named output. */
  http?: HostHttpResponse;
  /** Output bindings other than the return value, by binding name, decoded like returnValue. */
  outputs: Record<string, unknown>;
}
