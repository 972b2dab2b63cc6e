/**
 * Three worker processes share one task hub on Azurite; one is killed with SIGKILL mid-run.
 * Its partitions move to the survivors once its leases expire, its hidden messages come back
 * after their visibility timeout, and every orchestration still completes with the right output.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { TaskHubClient } from "../../../src/engine/client";
import { HistoryEventType } from "../../../src/protocol/history";
import {
  AzureStorageTaskHub,
  storageClientsFromConnectionString,
} from "../../../src/providers/azure-storage";
import { testStorageConnectionString } from "../../support/test-storage";
import { waitFor } from "./azure-test-hub";

const ORCHESTRATIONS = 300;
const FAN_OUT = 4;
const EXPECTED_SUM = (FAN_OUT * (FAN_OUT + 1) * (2 * FAN_OUT + 1)) / 6;
const LEASE_MS = 3000;
const VISIBILITY_MS = 8000;

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
}

/** Activity executions seen on the workers' stdout, by "<instanceId> <n>". */
const executions = new Map<string, number>();

function startWorker(hubName: string): Worker {
  const root = join(__dirname, "../../..");
  const child = spawn(
    process.execPath,
    ["-r", join(root, "test/support/ts-register.js"), join(__dirname, "processes/fan-out-worker.ts")],
    {
      env: {
        ...process.env,
        STORAGE: testStorageConnectionString(),
        HUB: hubName,
        LEASE_MS: String(LEASE_MS),
        VISIBILITY_MS: String(VISIBILITY_MS),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`Worker exited early (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("READY")) resolve();
      const ran = /^RAN (\S+) (\d+)$/.exec(line);
      if (ran) executions.set(`${ran[1]} ${ran[2]}`, (executions.get(`${ran[1]} ${ran[2]}`) ?? 0) + 1);
    });
  });
  return { child, ready };
}

describe("several worker processes on one task hub", () => {
  const hubName = `Multi${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const hub = new AzureStorageTaskHub({
    clients: storageClientsFromConnectionString(testStorageConnectionString()),
    hubName,
  });
  const client = new TaskHubClient(hub);
  const workers: Worker[] = [];

  beforeAll(async () => {
    await hub.createIfNotExists();
  });

  afterAll(async () => {
    for (const worker of workers) worker.child.kill("SIGKILL");
    await hub.deleteHub();
  });

  it("completes every orchestration when one of three workers is killed mid-run", async () => {
    for (let i = 0; i < 3; i++) workers.push(startWorker(hubName));
    await Promise.all(workers.map((w) => w.ready));

    const ids = Array.from({ length: ORCHESTRATIONS }, (_, i) => `fan-${i}`);
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids
          .slice(i, i + 25)
          .map((instanceId) => client.startNew("FanOutSum", { instanceId, input: JSON.stringify(FAN_OUT) })),
      );
    }
    // Kill one worker once a good part of the work has been done, so some is in flight.
    await waitFor(
      () => executions.size >= (ORCHESTRATIONS * FAN_OUT) / 4,
      60_000,
      "a quarter of the activities run",
    );
    workers[0].child.kill("SIGKILL");

    await waitFor(
      async () => (await completedCount(hub)) === ORCHESTRATIONS,
      150_000,
      "every orchestration completed",
      1000,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await describeUnfinished(client, ids)}`);
    });

    const states = await Promise.all(ids.map((id) => client.getInstance(id)));
    for (const state of states) {
      expect(state?.runtimeStatus).toBe("Completed");
      expect(state?.output).toBe(String(EXPECTED_SUM));
    }
    expect(executions.size).toBe(ORCHESTRATIONS * FAN_OUT);
    const repeated = [...executions.values()].filter((count) => count > 1).length;
    console.log(
      `multi-process: ${ORCHESTRATIONS} orchestrations x ${FAN_OUT} activities on 3 workers, one killed: ` +
        `${repeated} activities ran more than once.`,
    );
  }, 240_000);
});

async function completedCount(hub: AzureStorageTaskHub): Promise<number> {
  const page = await hub.queryInstances({ runtimeStatus: ["Completed"], fetchInputsAndOutputs: false });
  return page.instances.length;
}

/** What the instances that did not complete were doing, for a failure message. */
async function describeUnfinished(client: TaskHubClient, ids: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const id of ids) {
    const state = await client.getInstance(id);
    if (state?.runtimeStatus === "Completed") continue;
    const history = await client.getHistory(id);
    const tail = history.slice(-6).map((e) => HistoryEventType[e.EventType]);
    lines.push(
      `${id}: ${state?.runtimeStatus ?? "missing"}, ${history.length} events, ends ${tail.join(" ")}`,
    );
    if (lines.length >= 10) break;
  }
  return lines.join("\n");
}
