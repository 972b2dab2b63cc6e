/**
 * Runs the real `durable start` (the built CLI) in a child process against the run's Azurite,
 * and talks to it over HTTP, as a user would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { freePort } from "../../support/free-port";
import { testStorageConnectionString } from "../../support/test-storage";

export { freePort };

export const REPO_ROOT = resolve(__dirname, "../../..");
export const CLI = join(REPO_ROOT, "dist/src/host/cli.js");

export interface HostProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the host printed so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output, waiting for it. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface HostProcessOptions {
  appDir?: string;
  port?: number;
  args?: string[];
  env?: Record<string, string>;
}

export async function startHost(options: HostProcessOptions = {}): Promise<HostProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [CLI, "start", "--app", options.appDir ?? REPO_ROOT, "--port", String(port), ...(options.args ?? [])],
    {
      env: { ...process.env, AzureWebJobsStorage: testStorageConnectionString(), ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));

  const host: HostProcess = {
    url: `http://localhost:${port}`,
    port,
    child,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 30_000) =>
      new Promise((resolveMatch, reject) => {
        const check = (): void => {
          const match = pattern.exec(output);
          if (!match) return;
          cleanup();
          resolveMatch(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`The host did not print ${pattern} within ${timeoutMs} ms. Output:\n${output}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    stop: async (signal = "SIGINT") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
  try {
    await Promise.race([
      host.waitForOutput(/Host started: /),
      exited.then((code) => {
        throw new Error(`The host exited (${code}) before it started. Output:\n${output}`);
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return host;
}

/** Runs the CLI to completion; resolves with its exit code and output. */
export function runCli(
  args: string[],
  cwd = REPO_ROOT,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => resolveRun({ code, output }));
  });
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** Sends `body` as JSON; `rawBody` sends text as it is (to test what bad input gets). */
export async function http(
  method: string,
  url: string,
  body?: unknown,
  options: { rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const init: RequestInit = { method, headers };
  const sent = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (sent !== undefined) {
    init.body = sent;
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Polls a status URL until the instance has ended; returns the status object. */
export async function waitForEnd(statusUrl: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await http("GET", statusUrl);
    const status = response.body as Record<string, unknown>;
    if (response.status === 200) return status;
    if (Date.now() > deadline) throw new Error(`Not ended within ${timeoutMs} ms: ${response.text}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}
