/**
 * `npm run bench:azurite`: what single storage requests cost a fresh Azurite process, in its
 * CPU time and in wall time, one request at a time; deletions and visibility updates also with
 * many messages stored. The figures behind "Where the time goes" in bench/README.md.
 */
import { readFileSync } from "node:fs";
import type { QueueClient } from "@azure/storage-queue";
import { storageClientsFromConnectionString } from "../src/providers/azure-storage/connection";
import { startAzurite } from "../src/testing/azurite-process";

const REQUESTS = 300;
const STORED_COUNTS = [100, 1000, 3000];
const BODY = JSON.stringify({ padding: "x".repeat(600) });
const ROW = { Input: "x".repeat(600), Version: 1, Name: "y".repeat(200) };

interface Cost {
  request: string;
  cpuMs: number;
  wallMs: number;
}

async function main(): Promise<void> {
  const azurite = await startAzurite();
  try {
    const cpuOfAzurite = cpuReader(azurite.pid);
    const clients = storageClientsFromConnectionString(azurite.connectionString);
    const costs: Cost[] = [];
    const measure = async (request: string, run: (index: number) => Promise<unknown>): Promise<void> => {
      for (let i = 0; i < 20; i++) await run(i); // warm-up
      const cpuBefore = cpuOfAzurite();
      const started = performance.now();
      for (let i = 0; i < REQUESTS; i++) await run(i + 20);
      costs.push({
        request,
        cpuMs: (cpuOfAzurite() - cpuBefore) / REQUESTS,
        wallMs: (performance.now() - started) / REQUESTS,
      });
    };

    const queue = clients.queueService.getQueueClient("costs");
    await queue.create();
    await measure("queue send", () => queue.sendMessage(BODY, { visibilityTimeout: 300 }));
    await queue.clearMessages();
    for (const stored of STORED_COUNTS) {
      // The deletions take the extra ones, leaving `stored` in the queue at the end.
      const hidden = await fill(queue, stored + REQUESTS + 20);
      await measure(`queue update, ${stored} stored`, async (i) => {
        const message = hidden[i];
        const updated = await queue.updateMessage(message.messageId, message.popReceipt, undefined, 300);
        message.popReceipt = updated.popReceipt ?? message.popReceipt;
      });
      await measure(`queue delete, ${stored} stored`, async () => {
        const message = hidden.pop();
        if (message) await queue.deleteMessage(message.messageId, message.popReceipt);
      });
      await queue.clearMessages();
    }

    await clients.tableService.createTable("Costs");
    const table = clients.table("Costs");
    await measure("table upsert", (i) =>
      table.upsertEntity({ partitionKey: "p", rowKey: `r${i % 50}`, ...ROW }, "Replace"),
    );
    await measure("table point read", (i) => table.getEntity("p", `r${i % 50}`));
    await measure("table transaction of 3 rows", (i) =>
      table.submitTransaction(
        [0, 1, 2].map((k) => ["upsert", { partitionKey: `h${i}`, rowKey: `k${k}`, ...ROW }, "Replace"]),
      ),
    );
    await measure("table query of 3 rows", async (i) => {
      const rows = table.listEntities({ queryOptions: { filter: `PartitionKey eq 'h${i}'` } });
      for await (const row of rows) void row;
    });

    console.log(`Azurite request costs, ${REQUESTS} requests one at a time each:\n`);
    console.log("| request | Azurite CPU ms | wall ms |\n| --- | --- | --- |");
    for (const cost of costs) {
      console.log(`| ${cost.request} | ${cost.cpuMs.toFixed(2)} | ${cost.wallMs.toFixed(2)} |`);
    }
  } finally {
    await azurite.stop();
  }
}

/** Sends `count` messages hidden for five minutes; returns how to update or delete each. */
async function fill(queue: QueueClient, count: number): Promise<{ messageId: string; popReceipt: string }[]> {
  const sent: { messageId: string; popReceipt: string }[] = [];
  for (let i = 0; i < count; i++) {
    const { messageId, popReceipt } = await queue.sendMessage(BODY, { visibilityTimeout: 300 });
    sent.push({ messageId, popReceipt });
  }
  return sent;
}

/** The CPU time (ms) a process has used so far, from /proc (Linux only). */
function cpuReader(pid: number | undefined): () => number {
  if (pid === undefined) throw new Error("The Azurite process has no pid.");
  return () => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name: state is [0]; utime and stime, in ticks of 10 ms, are [11], [12].
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
