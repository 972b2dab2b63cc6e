/** `durable start` on an app of its own: settings, route prefix, timers and keys. */
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { http, startHost, type HostProcess } from "./support/host-process";

const APP = join(__dirname, "fixtures/host-app");

/** An address of this machine that is not loopback, so a request to it is not from loopback. */
function externalAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === "IPv4" && !a.internal);
    if (found) return found.address;
  }
  return undefined;
}

describe("durable start on loopback", () => {
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHost({ appDir: APP, args: ["--in-memory-storage"] });
  }, 60_000);

  afterAll(async () => {
    await host?.stop();
  });

  it("lists its functions with their URLs under the route prefix", () => {
    expect(host.output()).toContain(`Ticks: [GET] ${host.url}/v1/ticks`);
    expect(host.output()).toContain(`Secret: [GET] ${host.url}/v1/secret/{name:alpha}`);
    expect(host.output()).toContain("Tick: timerTrigger");
  });

  it("runs a timer on its NCRONTAB schedule, read from an app setting", async () => {
    await host.waitForOutput(/tick 2, past due: false/, 10_000);
    const response = await http("GET", `${host.url}/v1/ticks`);
    expect(response.body).toMatchObject({ greeting: "hello from local.settings.json" });
    expect((response.body as { ticks: number }).ticks).toBeGreaterThanOrEqual(2);
  });

  it("asks no key of local callers, as Core Tools does", async () => {
    const response = await http("GET", `${host.url}/v1/secret/alice`);
    expect(response.status).toBe(200);
    expect(response.text).toBe("secret for alice");
  });

  it("applies route constraints and methods", async () => {
    expect((await http("GET", `${host.url}/v1/secret/al1ce`)).status).toBe(404);
    expect((await http("POST", `${host.url}/v1/ticks`)).status).toBe(405);
    expect((await http("GET", `${host.url}/ticks`)).status).toBe(404);
  });
});

const address = externalAddress();
(address ? describe : describe.skip)("durable start reachable from other machines", () => {
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHost({ appDir: APP, args: ["--in-memory-storage", "--host", "0.0.0.0"] });
  }, 60_000);

  afterAll(async () => {
    await host?.stop();
  });

  it("requires the key for functions that are not anonymous, and for the management API", async () => {
    const [, key] = await host.waitForOutput(/code=(\S+)/);
    const base = `http://${address}:${host.port}`;
    expect((await http("GET", `${base}/v1/secret/bob`)).status).toBe(401);
    expect((await http("GET", `${base}/v1/secret/bob?code=${key}`)).status).toBe(200);
    expect(
      (await http("GET", `${base}/v1/secret/bob`, undefined, { headers: { "x-functions-key": key } })).status,
    ).toBe(200);
    expect((await http("GET", `${base}/v1/ticks`)).status).toBe(200);
    expect((await http("GET", `${base}/runtime/webhooks/durabletask/instances/`)).status).toBe(401);
    expect((await http("GET", `${base}/runtime/webhooks/durabletask/instances/?code=${key}`)).status).toBe(
      200,
    );
  });
});
