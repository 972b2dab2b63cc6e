#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { TaskHubClient } from "../engine/client";
import { toStatusBody } from "../engine/status-body";
import { DurableWorker } from "../engine/worker";
import { MemoryTaskHub } from "../providers/memory/memory-task-hub";
import { RegistryInvoker } from "../testing/registry-invoker";
import { loadApp } from "./app-loader";

const USAGE = `Usage: durable <command> [options]

Commands:
  run <orchestrator>   Load the app in the current folder, run one orchestration on an
                       in-memory task hub and print its final status.

Options:
  --input <json>       Input of the orchestration (run).
  --app <folder>       The app folder (default: the current folder).
  --timeout <seconds>  How long run waits for the orchestration (default 60).
  -h, --help           Show this help.
  -v, --version        Show the version.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      input: { type: "string" },
      app: { type: "string" },
      timeout: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
  if (values.version) {
    const pkg = JSON.parse(readFileSync(resolve(__dirname, "../../../package.json"), "utf8")) as {
      version: string;
    };
    console.log(pkg.version);
    return 0;
  }
  const [command, name] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 1;
  }
  if (command !== "run")
    throw new Error(`Unknown command '${command}'. Run 'durable --help' for the commands.`);
  if (!name) throw new Error("'durable run' needs the name of an orchestrator function.");
  const input = values.input === undefined ? null : parseJson(values.input);
  const timeoutMs = Number(values.timeout ?? 60) * 1000;

  await loadApp(values.app ?? process.cwd());
  const hub = new MemoryTaskHub({ name: "DurableCli" });
  const worker = new DurableWorker(hub, new RegistryInvoker());
  const client = new TaskHubClient(hub);
  await worker.start();
  try {
    const instanceId = await client.startNew(name, { input });
    const state = await client.waitForCompletion(instanceId, timeoutMs);
    if (!state) throw new Error(`Instance '${instanceId}' vanished.`);
    console.log(JSON.stringify(toStatusBody(state, undefined), null, 2));
    return state.runtimeStatus === "Completed" ? 0 : 2;
  } finally {
    await worker.stop();
  }
}

function parseJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw new Error(`--input is not valid JSON: ${text}`);
  }
  return text;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`durable: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
