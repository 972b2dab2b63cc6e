import { TableClient } from "@azure/data-tables";
import {
  TablePartitionManager,
  type PartitionLeaseEntity,
  type PartitionManagerOptions,
  type PartitionReleaseReason,
} from "../../../src/providers/azure-storage/partition-manager";
import { testStorageConnectionString } from "../../support/test-storage";

const PARTITIONS = ["myhub-control-00", "myhub-control-01", "myhub-control-02", "myhub-control-03"];
const LEASE_MS = 1500;
const RENEW_MS = 500;
const ACQUIRE_MS = 300;
/** Long enough that a sample of the table during a hand-over sees the draining row. */
const DRAIN_MS = 400;

interface TestWorker {
  id: string;
  manager: TablePartitionManager;
  acquired: { partition: string; at: number }[];
  released: { partition: string; reason: PartitionReleaseReason; at: number; drainedAt?: number }[];
}

let table: TableClient;
let workers: TestWorker[];
let errors: unknown[];
/** Every moment two workers claimed one partition; must stay empty. */
let overlaps: string[];
let monitor: NodeJS.Timeout | undefined;

beforeEach(async () => {
  const name = `Parts${Math.random().toString(36).slice(2, 10)}`;
  table = TableClient.fromConnectionString(testStorageConnectionString(), name, {
    allowInsecureConnection: true,
  });
  workers = [];
  errors = [];
  overlaps = [];
  // Sampling between callbacks catches overlaps that the check in onAcquired cannot see.
  monitor = setInterval(checkDisjoint, 10);
});

afterEach(async () => {
  clearInterval(monitor);
  for (const worker of workers) worker.manager.kill();
  await table.deleteTable();
});

function createWorker(id: string, overrides: Partial<PartitionManagerOptions> = {}): TestWorker {
  const acquired: TestWorker["acquired"] = [];
  const released: TestWorker["released"] = [];
  const manager = new TablePartitionManager({
    table,
    partitionNames: PARTITIONS,
    workerId: id,
    leaseIntervalMs: LEASE_MS,
    renewIntervalMs: RENEW_MS,
    acquireIntervalMs: ACQUIRE_MS,
    onAcquired: (partition) => {
      // The instant of a claim is when an overlap would start, so check it exactly then.
      checkDisjoint();
      acquired.push({ partition, at: Date.now() });
    },
    onReleased: async (partition, reason) => {
      const entry: TestWorker["released"][number] = { partition, reason, at: Date.now() };
      released.push(entry);
      await sleep(DRAIN_MS);
      entry.drainedAt = Date.now();
    },
    onError: (error) => errors.push(error),
    ...overrides,
  });
  const worker: TestWorker = { id, manager, acquired, released };
  workers.push(worker);
  return worker;
}

function checkDisjoint(): void {
  const owners = new Map<string, string>();
  for (const worker of workers) {
    for (const partition of worker.manager.ownedPartitions()) {
      const other = owners.get(partition);
      if (other !== undefined) overlaps.push(`${partition} owned by ${other} and ${worker.id}`);
      owners.set(partition, worker.id);
    }
  }
}

function counts(...of: TestWorker[]): number[] {
  return of.map((worker) => worker.manager.ownedPartitions().size);
}

async function readRows(): Promise<Map<string, PartitionLeaseEntity>> {
  const rows = new Map<string, PartitionLeaseEntity>();
  for await (const row of table.listEntities<PartitionLeaseEntity>()) rows.set(row.rowKey, row);
  return rows;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
  return Date.now() - started;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The owned counts stay where they are for a few loop cycles. */
async function expectSettled(expected: number[], ...of: TestWorker[]): Promise<void> {
  await sleep(3 * ACQUIRE_MS);
  expect(counts(...of).sort()).toEqual(expected);
}

describe("TablePartitionManager", () => {
  describe("createLeases", () => {
    it("creates the table and one empty row per control queue, and is safe to run concurrently", async () => {
      const a = createWorker("a");
      const b = createWorker("b");
      await Promise.all([a.manager.createLeases(), b.manager.createLeases()]);
      await a.manager.createLeases();

      const rows = await readRows();
      expect([...rows.keys()].sort()).toEqual(PARTITIONS);
      for (const row of rows.values()) {
        expect(row.partitionKey).toBe("");
        expect(row.CurrentOwner).toBeUndefined();
        expect(row.NextOwner).toBeUndefined();
        expect(row.IsDraining).toBe(false);
      }
    });
  });

  describe("claiming", () => {
    it("gives a lone worker every partition on its first cycle", async () => {
      const a = createWorker("a");
      await a.manager.createLeases();
      const before = Date.now();
      await a.manager.start();

      expect([...a.manager.ownedPartitions()].sort()).toEqual(PARTITIONS);
      expect(a.acquired.map((entry) => entry.partition).sort()).toEqual(PARTITIONS);
      for (const row of (await readRows()).values()) {
        expect(row.CurrentOwner).toBe("a");
        expect(row.NextOwner).toBeUndefined();
        expect(row.IsDraining).toBe(false);
        expect(row.ExpiresAt?.getTime()).toBeGreaterThanOrEqual(before + LEASE_MS);
      }
      expect(errors).toEqual([]);
    });

    it("keeps renewing the leases, so nobody can claim them", async () => {
      const a = createWorker("a");
      await a.manager.createLeases();
      await a.manager.start();
      const first = (await readRows()).get(PARTITIONS[0])?.ExpiresAt?.getTime() ?? 0;

      await sleep(LEASE_MS + RENEW_MS);

      const later = (await readRows()).get(PARTITIONS[0]);
      expect(later?.CurrentOwner).toBe("a");
      // Renewed since the claim. Not pinned to each 500 ms tick: a busy CI machine may run one late.
      expect(later?.ExpiresAt?.getTime()).toBeGreaterThan(first);
      expect(a.released).toEqual([]);
    });
  });

  describe("balancing", () => {
    it("splits 4 partitions 2/2, draining each stolen partition before its row is released", async () => {
      const a = createWorker("a");
      await a.manager.createLeases();
      await a.manager.start();
      const b = createWorker("b");
      let sawDrainingRow = false;
      const sampler = setInterval(() => {
        readRows()
          .then((rows) => {
            for (const row of rows.values()) {
              if (row.CurrentOwner === "a" && row.NextOwner === "b" && row.IsDraining) sawDrainingRow = true;
            }
          })
          .catch(() => undefined);
      }, 50);
      try {
        await b.manager.start();
        await waitFor(() => counts(a, b).join() === "2,2", 5000);
      } finally {
        clearInterval(sampler);
      }

      expect(a.released.map((entry) => entry.reason)).toEqual(["stolen", "stolen"]);
      for (const { partition, at } of b.acquired) {
        const drained = a.released.find((entry) => entry.partition === partition)?.drainedAt;
        expect(drained).toBeDefined();
        expect(at).toBeGreaterThanOrEqual(drained ?? Infinity);
      }
      // The owner kept renewing, flagged as draining, while the thief waited.
      expect(sawDrainingRow).toBe(true);
      await expectSettled([2, 2], a, b);
      expect(overlaps).toEqual([]);
      expect(errors).toEqual([]);
    });

    it("settles three workers on 2/1/1", async () => {
      const [a, b, c] = ["a", "b", "c"].map((id) => createWorker(id));
      await a.manager.createLeases();
      await a.manager.start();
      await b.manager.start();
      await waitFor(() => counts(a, b).join() === "2,2", 5000);
      await c.manager.start();
      await waitFor(() => counts(a, b, c).sort().join() === "1,1,2", 5000);

      await expectSettled([1, 1, 2], a, b, c);
      expect(overlaps).toEqual([]);
      expect(errors).toEqual([]);
    });

    it("settles three workers that start together on 2/1/1", async () => {
      const all = ["a", "b", "c"].map((id) => createWorker(id));
      await all[0].manager.createLeases();
      await Promise.all(all.map((worker) => worker.manager.start()));
      await waitFor(
        () =>
          counts(...all)
            .sort()
            .join() === "1,1,2",
        8000,
      );

      await expectSettled([1, 1, 2], ...all);
      expect(overlaps).toEqual([]);
      expect(errors).toEqual([]);
    });
  });

  describe("shutdown", () => {
    it("drains and releases every partition, so another worker takes them long before the lease ends", async () => {
      // Long, so that a graceful hand-over and a take-over at expiry cannot be confused even on
      // a machine busy enough to make either slow.
      const leaseMs = 20_000;
      const a = createWorker("a", { leaseIntervalMs: leaseMs });
      const b = createWorker("b", { leaseIntervalMs: leaseMs });
      await a.manager.createLeases();
      await a.manager.start();
      await b.manager.start();
      await waitFor(() => counts(a, b).join() === "2,2", 5000);
      const before = a.released.length;

      const started = Date.now();
      await a.manager.stop();
      const stoppedAfter = Date.now() - started;
      const handedOverAfter = stoppedAfter + (await waitFor(() => counts(b).join() === "4", leaseMs));

      expect(a.released.slice(before).map((entry) => entry.reason)).toEqual(["shutdown", "shutdown"]);
      expect(a.manager.ownedPartitions().size).toBe(0);
      // Well inside the lease (a worker that died would take the whole 20 s), with room for a busy machine.
      expect(handedOverAfter).toBeLessThan(leaseMs / 2);
      for (const row of (await readRows()).values()) expect(row.CurrentOwner).toBe("b");
      expect(overlaps).toEqual([]);
      expect(errors).toEqual([]);
    }, 45_000);

    it("leaves free rows behind when no other worker is running", async () => {
      const a = createWorker("a");
      await a.manager.createLeases();
      await a.manager.start();
      await a.manager.stop();

      for (const row of (await readRows()).values()) {
        expect(row.CurrentOwner).toBeUndefined();
        expect(row.IsDraining).toBe(false);
      }
      const b = createWorker("b");
      await b.manager.start();
      expect(b.manager.ownedPartitions().size).toBe(4);
    });
  });

  describe("failures", () => {
    it("reports a run of lease cycles that time out once, not each one", async () => {
      // No table answers within a millisecond: every cycle runs out of time.
      const a = createWorker("a", { operationTimeoutMs: 1 });
      await a.manager.createLeases();
      await a.manager.start();
      await waitFor(() => errors.length > 0, 10_000);
      await sleep(ACQUIRE_MS * 2);

      expect(errors.map((error) => (error as Error).message)).toEqual([
        "3 lease cycles in a row took longer than 1 ms: the table is slow or unreachable.",
      ]);
      expect(a.manager.ownedPartitions().size).toBe(0);
    });

    it("lets another worker claim a crashed worker's partitions once their leases expire", async () => {
      const a = createWorker("a");
      const b = createWorker("b");
      await a.manager.createLeases();
      await a.manager.start();
      await b.manager.start();
      await waitFor(() => counts(a, b).join() === "2,2", 5000);
      const callbacksOfA = a.acquired.length + a.released.length;

      a.manager.kill();
      const takenAfter = await waitFor(() => counts(b).join() === "4", LEASE_MS + 3000);

      // Not before the last renewal of the dead worker could have expired...
      expect(takenAfter).toBeGreaterThanOrEqual(LEASE_MS - RENEW_MS - ACQUIRE_MS);
      // ...and within about one lease plus a cycle.
      expect(takenAfter).toBeLessThan(LEASE_MS + 4 * ACQUIRE_MS);
      expect(a.manager.ownedPartitions().size).toBe(0);
      expect(a.acquired.length + a.released.length).toBe(callbacksOfA);
      expect(b.released).toEqual([]);
      expect(overlaps).toEqual([]);
      expect(errors).toEqual([]);
    });

    it("drops a partition whose row names another owner without writing it, and reclaims it after expiry", async () => {
      const a = createWorker("a");
      await a.manager.createLeases();
      await a.manager.start();
      const partition = PARTITIONS[1];
      const row = await table.getEntity<PartitionLeaseEntity>("", partition);
      const intruderExpiry = new Date(Date.now() + LEASE_MS);
      const intruder: PartitionLeaseEntity = {
        partitionKey: "",
        rowKey: partition,
        CurrentOwner: "intruder",
        OwnedSince: new Date(),
        LastRenewal: new Date(),
        ExpiresAt: intruderExpiry,
        IsDraining: false,
      };
      await table.updateEntity(intruder, "Replace", { etag: row.etag });

      await waitFor(() => a.released.some((entry) => entry.partition === partition), 2000);
      expect(a.released).toEqual([expect.objectContaining({ partition, reason: "lost" })]);
      expect(a.manager.ownedPartitions().has(partition)).toBe(false);
      expect((await readRows()).get(partition)?.CurrentOwner).toBe("intruder");

      await waitFor(() => a.manager.ownedPartitions().has(partition), LEASE_MS + 2000);
      expect(Date.now()).toBeGreaterThanOrEqual(intruderExpiry.getTime());
      expect(errors).toEqual([]);
    });
  });

  describe("whenOwningAny", () => {
    it("resolves true once a partition is owned, and false when the signal aborts first", async () => {
      const a = createWorker("a");
      await a.manager.createLeases();
      const owning = a.manager.whenOwningAny();
      await a.manager.start();
      await expect(owning).resolves.toBe(true);

      const b = createWorker("b");
      const controller = new AbortController();
      const waiting = b.manager.whenOwningAny(controller.signal);
      controller.abort();
      await expect(waiting).resolves.toBe(false);
    });
  });
});
