/** `durable start` as a process: its command line, its errors, and a restart mid-orchestration. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, http, runCli, startHost, waitForEnd } from "./support/host-process";

describe("durable start", () => {
  it("finishes an orchestration that was waiting when the host was stopped and started again", async () => {
    const first = await startHost();
    const started = await http("POST", `${first.url}/api/orchestrators/Approval/survivor`, {
      timeoutSeconds: 120,
    });
    expect(started.status).toBe(202);
    const statusUrl = (started.body as { statusQueryGetUri: string }).statusQueryGetUri;
    await waitForCustomStatus(statusUrl, "waiting for approval");

    expect(await first.stop("SIGINT")).toBe(0);
    expect(first.output()).toContain("Stopped.");

    const second = await startHost({ port: first.port });
    try {
      const raised = await http(
        "POST",
        `${second.url}/runtime/webhooks/durabletask/instances/survivor/raiseEvent/Approval`,
        {
          approved: true,
          by: "after restart",
        },
      );
      expect(raised.status).toBe(202);
      const status = await waitForEnd(statusUrl);
      expect(status).toMatchObject({
        runtimeStatus: "Completed",
        output: { approved: true, by: "after restart" },
      });
    } finally {
      await second.stop();
    }
  }, 90_000);

  it("says in one line when its port is taken", async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, "127.0.0.1");
    try {
      const result = await runCli(["start", "--port", String(port), "--in-memory-storage"]);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`Port ${port} is in use`);
      expect(result.output).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  }, 30_000);

  it("runs on the in-memory task hub when asked", async () => {
    const host = await startHost({ args: ["--in-memory-storage"] });
    try {
      const started = await http("POST", `${host.url}/api/orchestrators/HelloSequence`);
      const status = await waitForEnd((started.body as { statusQueryGetUri: string }).statusQueryGetUri);
      expect(status).toMatchObject({ runtimeStatus: "Completed" });
    } finally {
      await host.stop();
    }
  }, 30_000);
});

describe("the durable command line", () => {
  it("prints its help and its version", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output).toContain("start");
    expect(help.output).toContain("--in-memory-storage");
    const version = await runCli(["--version"]);
    expect(version.output.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("answers an unknown flag with one line", async () => {
    const result = await runCli(["start", "--prot", "7071"]);
    expect(result.code).toBe(1);
    expect(result.output.trim().split("\n")).toHaveLength(1);
    expect(result.output).toContain("--prot");
  });

  it("names a broken host.json in one line", async () => {
    const app = await mkdtemp(join(tmpdir(), "durable-broken-"));
    try {
      await writeFile(join(app, "host.json"), '{ "version": "2.0", }}');
      await writeFile(join(app, "package.json"), JSON.stringify({ name: "broken", main: "index.js" }));
      const result = await runCli(["start", "--app", app, "--in-memory-storage"]);
      expect(result.code).toBe(1);
      expect(result.output.trim().split("\n")).toHaveLength(1);
      expect(result.output).toContain("host.json");
    } finally {
      await rm(app, { recursive: true, force: true });
    }
  });
});

async function waitForCustomStatus(statusUrl: string, customStatus: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const status = (await http("GET", statusUrl)).body as { customStatus?: unknown };
    if (status.customStatus === customStatus) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The instance never reported '${customStatus}'.`);
}
