/**
 * A worker process that owns every control queue dies without a word (SIGKILL). Its partition
 * leases stay in the table until they expire; only then may another worker take the queues
 * over and carry on with the instances the dead one had started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { testStorageConnectionString } from "../../support/test-storage";
import type { AzureStorageTaskHub } from "../../../src/providers/azure-storage";
import { partitionIndexOf } from "../../../src/providers/azure-storage/names";
import { ScenarioHub, testStorageClients, waitFor } from "./azure-test-hub";
import { AWAIT_APPROVAL } from "./processes/lease-functions";

const LEASE_MS = 3000;
const LEASE_TIMINGS = {
  leaseIntervalMs: LEASE_MS,
  leaseRenewIntervalMs: LEASE_MS / 3,
  leaseAcquireIntervalMs: LEASE_MS / 3,
};

interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with how many partitions the worker owned after its first lease cycle. */
  ready: Promise<number>;
  exited: Promise<void>;
}

function startWorkerProcess(hubName: string): WorkerProcess {
  const root = join(__dirname, "../../..");
  const child = spawn(
    process.execPath,
    ["-r", join(root, "test/support/ts-register.js"), join(__dirname, "processes/lease-worker.ts")],
    {
      env: {
        ...process.env,
        STORAGE: testStorageConnectionString(),
        HUB: hubName,
        LEASE_MS: String(LEASE_MS),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`The worker process exited early (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, ready, exited };
}

interface Lease {
  queue: string;
  owner: string | undefined;
  expiresAtMs: number;
}

async function readLeases(hub: AzureStorageTaskHub): Promise<Lease[]> {
  const table = testStorageClients().table(hub.resources.partitionsTable);
  const leases: Lease[] = [];
  for await (const row of table.listEntities<{ CurrentOwner?: string; ExpiresAt?: Date }>()) {
    leases.push({
      queue: row.rowKey ?? "",
      owner: row.CurrentOwner,
      expiresAtMs: row.ExpiresAt?.getTime() ?? 0,
    });
  }
  return leases;
}

describe("partition lease expiry on Azure Storage", () => {
  let scenario: ScenarioHub;
  let dead: WorkerProcess | undefined;

  afterEach(async () => {
    dead?.child.kill("SIGKILL");
    await scenario.dispose();
  });

  it("lets another worker take over a killed worker's queues once its leases expire", async () => {
    scenario = await ScenarioHub.create(LEASE_TIMINGS);
    const { hub, client } = scenario;
    dead = startWorkerProcess(hub.name);
    expect(await dead.ready).toBe(hub.resources.controlQueues.length);

    const instanceId = await client.startNew(AWAIT_APPROVAL, { instanceId: "approval" });
    await waitFor(
      async () => (await client.getInstance(instanceId))?.runtimeStatus === "Running",
      15_000,
      "the instance running on the worker process",
    );
    dead.child.kill("SIGKILL");
    await dead.exited;
    const deadLeases = await readLeases(hub);
    const deadOwner = deadLeases[0]?.owner;
    expect(deadOwner).toBeDefined();
    expect(deadLeases.every((lease) => lease.owner === deadOwner)).toBe(true);

    await scenario.startWorker();
    await client.raiseEvent(instanceId, "Approve", JSON.stringify("the test"));
    const state = await client.waitForCompletion(instanceId, 20_000);

    expect({ status: state?.runtimeStatus, output: state?.output }).toEqual({
      status: "Completed",
      output: JSON.stringify("approved by the test"),
    });
    // Not a moment before the dead worker's claim on the instance's queue ran out.
    const queue =
      hub.resources.controlQueues[partitionIndexOf(instanceId, hub.resources.controlQueues.length)];
    const expiry = deadLeases.find((lease) => lease.queue === queue)?.expiresAtMs ?? Infinity;
    expect(Date.parse(state?.completedTime ?? "")).toBeGreaterThanOrEqual(expiry);
    expect(Date.now() - expiry).toBeLessThan(10_000);
    expect([...hub.ownedPartitions()].sort()).toEqual([...hub.resources.controlQueues].sort());
    expect((await readLeases(hub)).every((lease) => lease.owner === hub.workerId)).toBe(true);
    expect(scenario.errors).toEqual([]);
  }, 50_000);
});
