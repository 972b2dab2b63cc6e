import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startAzurite, type AzuriteProcess } from "../../src/testing/azurite-process";
import { freePort } from "../../src/testing/free-port";

export type Provider = "azure" | "memory";

/** The host's own figures (DURABLE_TS_DIAGNOSTICS). */
export interface HostDiagnostics {
  storageOperations: Record<string, number>;
  storageMilliseconds: Record<string, number>;
  peakRssBytes: number;
  rssBytes: number;
}

/**
 * One `durable start` process serving the benchmark app, with its own Azurite process for the
 * Azure provider (in memory, so the figures do not depend on a disk), on free ports.
 */
export class BenchHost {
  private constructor(
    readonly provider: Provider,
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly appDir: string,
    private readonly azurite: AzuriteProcess | undefined,
    private readonly output: () => string,
  ) {}

  static async start(provider: Provider): Promise<BenchHost> {
    const azurite = provider === "azure" ? await startAzurite() : undefined;
    const appDir = await writeBenchApp();
    const port = await freePort();
    const cli = resolve(__dirname, "../../src/host/cli.js");
    const args = [cli, "start", "--app", appDir, "--port", String(port)];
    if (provider === "memory") args.push("--in-memory-storage");
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        DURABLE_TS_DIAGNOSTICS: "true",
        ...(azurite ? { AzureWebJobsStorage: azurite.connectionString } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const host = new BenchHost(provider, `http://127.0.0.1:${port}`, child, appDir, azurite, () => output);
    try {
      await host.waitUntilServing();
    } catch (error) {
      await host.stop();
      throw error;
    }
    return host;
  }

  async diagnostics(): Promise<HostDiagnostics> {
    const response = await fetch(`${this.url}/admin/durable-ts/diagnostics`);
    if (!response.ok) throw new Error(`diagnostics: HTTP ${response.status}`);
    return (await response.json()) as HostDiagnostics;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolveExit) => this.child.once("exit", resolveExit));
      this.child.kill("SIGINT");
      await exited;
    }
    await this.azurite?.stop();
    await rm(this.appDir, { recursive: true, force: true });
  }

  private async waitUntilServing(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.child.exitCode !== null) {
        throw new Error(`The host exited (${this.child.exitCode}):\n${this.output()}`);
      }
      try {
        if ((await fetch(`${this.url}/admin/durable-ts/diagnostics`)).ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`The host did not start within 60 s:\n${this.output()}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }
}

/** A throw-away app folder whose entry point loads the compiled benchmark functions. */
async function writeBenchApp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "durable-bench-"));
  const functions = resolve(__dirname, "../app/functions.js");
  const hubName = `Bench${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "durable-bench-app", main: "index.js" }));
  await writeFile(join(dir, "index.js"), `require(${JSON.stringify(functions)});\n`);
  await writeFile(
    join(dir, "host.json"),
    JSON.stringify({ version: "2.0", extensions: { durableTask: { hubName } } }, null, 2),
  );
  return dir;
}
