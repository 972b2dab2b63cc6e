#!/usr/bin/env node
import { HELP_TEXT, parseCliArguments, type StartCommand } from "./cli-arguments";
import { FunctionHost } from "./function-host";
import { packageVersion } from "./package-version";
import { runOrchestration } from "./run-command";
import { runStorageCommand } from "./storage-command";

async function main(argv: string[]): Promise<number> {
  const command = parseCliArguments(argv);
  switch (command.command) {
    case "version":
      console.log(packageVersion());
      return 0;
    case "help":
      console.log(HELP_TEXT);
      return command.requested ? 0 : 1;
    case "run":
      return runOrchestration(command);
    case "start":
      return start(command);
    case "storage":
      return runStorageCommand(command.action);
  }
}

/** Runs the host until SIGINT or SIGTERM, then shuts down gracefully and exits 0. */
async function start(command: StartCommand): Promise<number> {
  const host = await FunctionHost.start({
    appDir: command.appDir,
    port: command.port,
    hostname: command.host,
    inMemoryStorage: command.inMemoryStorage,
    verbose: command.verbose,
  });
  console.log(`\nHost started: ${host.url}. Press Ctrl+C to stop.`);
  await new Promise<void>((resolveSignal) => {
    process.once("SIGINT", resolveSignal);
    process.once("SIGTERM", resolveSignal);
  });
  console.log("Stopping: finishing the work in flight...");
  await host.stop();
  console.log("Stopped.");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // One line: what went wrong and what to do, not a stack trace.
    console.error(`durable: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
