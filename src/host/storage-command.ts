import type { StorageAction } from "./cli-arguments";
import {
  describeRunning,
  ensureLocalStorage,
  inspectLocalStorage,
  localStoragePlace,
  partialMessage,
  stopLocalStorage,
} from "./local-storage";
import { describePorts } from "./local-storage/storage-probe";

/** Exit code of `durable storage status` when the storage is not running, as `systemctl status`. */
export const NOT_RUNNING_EXIT_CODE = 3;

/** `durable storage start|stop|status`: the local storage that outlives the hosts. */
export async function runStorageCommand(action: StorageAction, log = console.log): Promise<number> {
  const place = localStoragePlace();
  switch (action) {
    case "start":
      await ensureLocalStorage(place, log);
      return 0;
    case "stop": {
      const outcome = await stopLocalStorage(place);
      if (outcome.kind === "stopped") {
        const how = outcome.forced ? "killed (it did not stop within 30 s of SIGTERM)" : "stopped";
        log(
          `The local storage (pid ${outcome.state.pid}) ${how}; its data stays in ${outcome.state.dataFolder}.`,
        );
      } else if (outcome.kind === "foreign") {
        log(
          `The Azurite on 127.0.0.1 (${describePorts(place.ports)}) was not started by durable; it is left running.`,
        );
      } else {
        log(`The local storage is not running. Its data is in ${place.dataFolder}.`);
      }
      return 0;
    }
    case "status": {
      const status = await inspectLocalStorage(place);
      switch (status.kind) {
        case "running":
          log(`The local storage is running: ${describeRunning(status.state)}.`);
          return 0;
        case "foreign":
          log(
            `An Azurite that durable did not start answers on 127.0.0.1 (${describePorts(place.ports)}); ` +
              `'durable start' uses it. The local storage's own data is in ${place.dataFolder}.`,
          );
          return 0;
        case "stopped":
          log(
            `The local storage is not running; 'durable start' starts it when an app uses ` +
              `UseDevelopmentStorage=true. Its data is in ${place.dataFolder}.`,
          );
          return NOT_RUNNING_EXIT_CODE;
        case "partial":
          log(partialMessage(status.running, status.free, place));
          return NOT_RUNNING_EXIT_CODE;
        case "blocked":
          log(status.message);
          return NOT_RUNNING_EXIT_CODE;
      }
    }
  }
}
