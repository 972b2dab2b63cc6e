/**
 * `durable start` with `UseDevelopmentStorage=true`, as processes over real HTTP: the local
 * storage outlives the hosts, so what a host acknowledged survives its `kill -9`, and every app
 * finds the same storage. Each test has its own storage folder and ports, and stops its storage.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePorts } from "../support/free-port";
import { http, REPO_ROOT, runCli, startHost, waitForEnd, type HostProcess } from "./support/host-process";

const WEBHOOK = "runtime/webhooks/durabletask";
const APPROVAL_APP = resolve(__dirname, "fixtures/approval-app");

interface StorageSandbox {
  folder: string;
  ports: number[];
  env: Record<string, string>;
}

async function storageSandbox(): Promise<StorageSandbox> {
  const folder = await mkdtemp(join(tmpdir(), "durable-storage-host-"));
  const ports = await freePorts(3);
  return {
    folder,
    ports,
    env: {
      AzureWebJobsStorage: "UseDevelopmentStorage=true",
      DURABLE_STORAGE_DIR: folder,
      DURABLE_STORAGE_PORTS: ports.join(","),
    },
  };
}

/** Runs `items` through `task`, `width` at a time. */
async function inParallel<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  });
  await Promise.all(lanes);
  return results;
}

describe("durable start on the local storage", () => {
  let sandbox: StorageSandbox;
  const hosts: HostProcess[] = [];

  beforeEach(async () => {
    sandbox = await storageSandbox();
  });
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.stop("SIGKILL");
    const stopped = await runCli(["storage", "stop"], REPO_ROOT, sandbox.env);
    expect(stopped.code).toBe(0);
    await rm(sandbox.folder, { recursive: true, force: true });
  });

  it("keeps every start and event it acknowledged when the host is killed right after answering", async () => {
    const first = await startHost({ appDir: APPROVAL_APP, env: sandbox.env });
    hosts.push(first);
    expect(first.output()).toContain("Started the local storage: Azurite");
    const ids = Array.from({ length: 100 }, (_, index) => `acked-${index}`);

    const starts = await inParallel(ids, 10, (id) =>
      http("POST", `${first.url}/${WEBHOOK}/orchestrators/WaitForApproval/${id}`),
    );
    expect(starts.map((response) => response.status)).toEqual(ids.map(() => 202));
    const events = await inParallel(ids, 10, (id) =>
      http("POST", `${first.url}/${WEBHOOK}/instances/${id}/raiseEvent/Approval`, { approved: true, by: id }),
    );
    const lastAnswer = Date.now();
    first.child.kill("SIGKILL");
    const killedAfterMs = Date.now() - lastAnswer;
    expect(events.map((response) => response.status)).toEqual(ids.map(() => 202));
    expect(killedAfterMs).toBeLessThan(100);
    await first.stop();

    const second = await startHost({ appDir: APPROVAL_APP, env: sandbox.env });
    hosts.push(second);
    expect(second.output()).toContain("Using the local storage already running: Azurite");
    const found = await inParallel(ids, 10, async (id) => {
      const response = await http("GET", `${second.url}/${WEBHOOK}/instances/${id}`);
      return response.status === 404 ? `${id} is missing` : "there";
    });
    expect(found.filter((entry) => entry !== "there")).toEqual([]);
    const outputs = await inParallel(ids, 10, async (id) => {
      // Messages the killed host had taken come back after the visibility timeout (1 minute here).
      const status = await waitForEnd(`${second.url}/${WEBHOOK}/instances/${id}`, 120_000);
      return { id, runtimeStatus: status.runtimeStatus, output: status.output };
    });
    expect(outputs).toEqual(
      ids.map((id) => ({ id, runtimeStatus: "Completed", output: { approved: true, by: id } })),
    );
  }, 240_000);

  it("is one storage for every app, which outlives the hosts until 'durable storage stop'", async () => {
    const demo = await startHost({ env: sandbox.env });
    hosts.push(demo);
    const started =
      /Started the local storage: Azurite [\d.]+, pid (\d+), since \S+, on 127\.0\.0\.1 \(Blob (\d+), Queue (\d+), Table (\d+)\), data in (.+)\. It keeps running/.exec(
        demo.output(),
      );
    expect(started?.slice(2)).toEqual([...sandbox.ports.map(String), join(sandbox.folder, "azurite")]);
    const pid = started?.[1];

    const other = await startHost({ appDir: APPROVAL_APP, env: sandbox.env });
    hosts.push(other);
    expect(other.output()).toContain(`Using the local storage already running: Azurite`);
    expect(other.output()).toContain(`pid ${pid},`);

    expect(await demo.stop("SIGINT")).toBe(0);
    const response = await http("POST", `${other.url}/${WEBHOOK}/orchestrators/HelloSequence`);
    expect(response.status).toBe(202);
    const status = await waitForEnd((response.body as { statusQueryGetUri: string }).statusQueryGetUri);
    expect(status.runtimeStatus).toBe("Completed");
    expect(await other.stop("SIGINT")).toBe(0);

    const running = await runCli(["storage", "status"], REPO_ROOT, sandbox.env);
    expect(running).toEqual({ code: 0, output: expect.stringContaining(`running: Azurite`) as unknown });
    expect(running.output).toContain(`pid ${pid},`);
    const stopped = await runCli(["storage", "stop"], REPO_ROOT, sandbox.env);
    expect(stopped.output).toBe(
      `The local storage (pid ${pid}) stopped; its data stays in ${join(sandbox.folder, "azurite")}.\n`,
    );
    const after = await runCli(["storage", "status"], REPO_ROOT, sandbox.env);
    expect(after.code).toBe(3);
    expect(after.output).toContain("The local storage is not running;");
  }, 120_000);
});
