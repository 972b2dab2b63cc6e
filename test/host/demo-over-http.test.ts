/**
 * The demo app in functions/ served by the real `durable start` on Azurite, driven over HTTP
 * the way the README's curl walkthrough drives it.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../support/wait-for";
import { http, startHost, waitForEnd, type HostProcess, type JsonResponse } from "./support/host-process";

interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
}

let host: HostProcess;

beforeAll(async () => {
  host = await startHost();
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

async function start(name: string, input?: unknown, instanceId?: string): Promise<CheckStatus> {
  const path = instanceId ? `${name}/${instanceId}` : name;
  const response = await http("POST", `${host.url}/api/orchestrators/${path}`, input);
  expect(response.status).toBe(202);
  expect(response.headers.get("location")).toBe((response.body as CheckStatus).statusQueryGetUri);
  return response.body as CheckStatus;
}

/** Polls a read route until `ready` holds for its answer: signals are processed in the background. */
async function readUntil(url: string, ready: (response: JsonResponse) => boolean): Promise<JsonResponse> {
  let response = await http("GET", url);
  try {
    await waitFor(async () => ready((response = await http("GET", url))), 30_000, `GET ${url}`, 100);
  } catch (error) {
    throw new Error(`${(error as Error).message} Last answer: ${response.status} ${response.text}`, {
      cause: error,
    });
  }
  return response;
}

describe("the demo app on durable start", () => {
  it("runs HelloSequence to its greetings", async () => {
    const started = await start("HelloSequence");
    const status = await waitForEnd(started.statusQueryGetUri);
    expect(status).toMatchObject({
      name: "HelloSequence",
      runtimeStatus: "Completed",
      output: ["Hello Tokyo!", "Hello Seattle!", "Hello London!"],
    });
  });

  it("sums the sizes of the files under a folder with FanOutFanIn", async () => {
    const folder = await mkdtemp(join(tmpdir(), "durable-host-"));
    try {
      await mkdir(join(folder, "nested"));
      await writeFile(join(folder, "a.txt"), "12345");
      await writeFile(join(folder, "nested", "b.txt"), "1234567890");
      const status = await waitForEnd((await start("FanOutFanIn", folder)).statusQueryGetUri);
      expect(status).toMatchObject({ runtimeStatus: "Completed", output: { files: 2, totalBytes: 15 } });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("waits for an approval event, raised through sendEventPostUri", async () => {
    const started = await start("Approval", { timeoutSeconds: 60 });
    const pending = await http("GET", started.statusQueryGetUri);
    expect(pending.status).toBe(202);
    const raise = await http("POST", started.sendEventPostUri.replace("{eventName}", "Approval"), {
      approved: true,
      by: "ann",
    });
    expect(raise.status).toBe(202);
    const status = await waitForEnd(started.statusQueryGetUri);
    expect(status).toMatchObject({ runtimeStatus: "Completed", output: { approved: true, by: "ann" } });
  });

  it("times an approval out", async () => {
    const status = await waitForEnd((await start("Approval", { timeoutSeconds: 1 })).statusQueryGetUri);
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: { approved: false, reason: "timed out" },
    });
  });

  it("polls with Monitor until the job is done, reporting progress in its custom status", async () => {
    const status = await waitForEnd(
      (await start("Monitor", { jobSeconds: 1, pollSeconds: 1, expirySeconds: 30 })).statusQueryGetUri,
    );
    expect(status).toMatchObject({ runtimeStatus: "Completed", output: { status: "done" } });
    expect(status.customStatus).toMatchObject({ status: "done" });
  });

  it("verifies a phone number with the code the activity logged", async () => {
    const started = await start("PhoneVerification", "+1 555 0100");
    const [, code] = await host.waitForOutput(/Verification code for \+1 555 0100: (\d+)/);
    const wrong = await http(
      "POST",
      started.sendEventPostUri.replace("{eventName}", "SmsChallengeResponse"),
      Number(code) === 1000 ? 1001 : 1000,
    );
    expect(wrong.status).toBe(202);
    await http("POST", started.sendEventPostUri.replace("{eventName}", "SmsChallengeResponse"), Number(code));
    const status = await waitForEnd(started.statusQueryGetUri);
    expect(status).toMatchObject({ runtimeStatus: "Completed", output: { verified: true, attempts: 2 } });
  });

  it("greets regions through sub-orchestrations", async () => {
    const status = await waitForEnd(
      (await start("GreetRegions", ["emea", "apac"], "regions-1")).statusQueryGetUri,
    );
    const greetings = ["Hello Tokyo!", "Hello Seattle!", "Hello London!"];
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: { emea: greetings, apac: greetings },
    });
    const child = await http("GET", `${host.url}/runtime/webhooks/durabletask/instances/regions-1-emea`);
    expect(child.body).toMatchObject({ runtimeStatus: "Completed" });
  });

  it("answers a body that is not JSON with 400 and starts nothing", async () => {
    const response = await http("POST", `${host.url}/api/orchestrators/HelloSequence/bad-json`, undefined, {
      rawBody: "{oops",
    });
    expect(response.status).toBe(400);
    expect((await http("GET", `${host.url}/runtime/webhooks/durabletask/instances/bad-json`)).status).toBe(
      404,
    );
  });

  it("refuses an orchestrator that does not exist, naming it", async () => {
    const response = await http("POST", `${host.url}/runtime/webhooks/durabletask/orchestrators/NoSuchThing`);
    expect(response.status).toBe(400);
    expect(response.text).toContain("NoSuchThing");
  });

  it("answers the management routes with their documented codes", async () => {
    const webhook = `${host.url}/runtime/webhooks/durabletask`;
    expect((await http("GET", `${webhook}/instances/unknown-instance`)).status).toBe(404);
    expect((await http("POST", `${webhook}/orchestrators/HelloSequence/bad%23id`)).status).toBe(400);
    const done = await start("HelloSequence", undefined, "finished-1");
    await waitForEnd(done.statusQueryGetUri);
    expect((await http("POST", `${webhook}/instances/finished-1/raiseEvent/Late`, {})).status).toBe(410);
    expect((await http("POST", `${webhook}/instances/finished-1/terminate?reason=late`)).status).toBe(410);
    const list = await http(
      "GET",
      `${webhook}/instances/?runtimeStatus=Completed&instanceIdPrefix=finished-`,
    );
    expect(list.status).toBe(200);
    expect((list.body as { instanceId: string }[]).map((s) => s.instanceId)).toEqual(["finished-1"]);
    const history = await http(
      "GET",
      `${webhook}/instances/finished-1?showHistory=true&showHistoryOutput=true`,
    );
    expect((history.body as { historyEvents: unknown[] }).historyEvents.length).toBeGreaterThan(0);
    expect((await http("DELETE", `${webhook}/instances/finished-1`)).body).toEqual({ instancesDeleted: 1 });
    expect((await http("GET", `${webhook}/instances/finished-1`)).status).toBe(404);
  });

  it("counts with the Counter entity through its HTTP routes", async () => {
    const counter = `${host.url}/api/counters/c-${randomUUID().slice(0, 8)}`;
    expect((await http("GET", counter)).status).toBe(404);

    for (const amount of [5, 3, 2]) expect((await http("POST", `${counter}/add`, amount)).status).toBe(202);
    expect((await http("POST", `${counter}/subtract`)).status).toBe(202);
    const read = await readUntil(counter, (response) => response.body === 9);
    expect(read.status).toBe(200);

    expect((await http("POST", `${counter}/reset`)).status).toBe(202);
    expect((await http("POST", `${counter}/add`, 4)).status).toBe(202);
    expect((await readUntil(counter, (response) => response.body === 4)).status).toBe(200);

    expect((await http("POST", `${counter}/delete`)).status).toBe(202);
    expect((await readUntil(counter, (response) => response.status === 404)).body).toEqual({
      error: expect.stringContaining("No counter"),
    });
  });

  it("refuses an unknown Counter operation and a body that is not JSON", async () => {
    const counter = `${host.url}/api/counters/c-${randomUUID().slice(0, 8)}`;

    const unknown = await http("POST", `${counter}/multiply`, 2);
    const badJson = await http("POST", `${counter}/add`, undefined, { rawBody: "{oops" });

    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("multiply");
    expect(badJson.status).toBe(400);
    expect((await http("GET", counter)).status).toBe(404);
  });

  it("signals, reads, lists and deletes the Counter through the management API's entity routes", async () => {
    const webhook = `${host.url}/runtime/webhooks/durabletask`;
    const key = `c-${randomUUID().slice(0, 8)}`;
    const entity = `${webhook}/entities/Counter/${key}`;

    expect((await http("GET", entity)).status).toBe(404);
    expect((await http("POST", `${entity}?op=add`, 7)).status).toBe(202);
    expect((await http("POST", `${entity}?op=add`, undefined, { rawBody: "{oops" })).status).toBe(400);
    expect((await http("POST", `${entity}?op=subtract`, 4)).status).toBe(202);
    const state = await readUntil(entity, (response) => response.body === 3);
    expect(state.status).toBe(200);
    expect((await http("GET", `${host.url}/api/counters/${key}`)).body).toBe(3);

    const list = await http("GET", `${webhook}/entities/Counter?fetchState=true`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual(
      expect.arrayContaining([
        { entityId: { name: "counter", key }, lastOperationTime: expect.any(String), state: 3 },
      ]),
    );

    expect((await http("DELETE", entity)).status).toBe(202);
    await readUntil(entity, (response) => response.status === 404);
    expect((await http("GET", `${webhook}/entities/Counter/a%2Fb`)).status).toBe(400);
  });

  it("terminates a running instance", async () => {
    const started = await start("Approval", { timeoutSeconds: 120 });
    const response = await http("POST", started.terminatePostUri.replace("{text}", "no longer needed"));
    expect(response.status).toBe(202);
    const status = await waitForEnd(started.statusQueryGetUri);
    expect(status).toMatchObject({ runtimeStatus: "Terminated", output: "no longer needed" });
  });
});
