/** GET /admin/host/status on the real `durable start`: whether the durable workers make progress. */
import { http, startHost, waitForEnd, type HostProcess } from "./support/host-process";

let host: HostProcess;

beforeAll(async () => {
  host = await startHost();
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

describe("GET /admin/host/status", () => {
  it("says the host runs and counts the work items it finished in the last minute", async () => {
    const before = await http("GET", `${host.url}/admin/host/status`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      state: "Running",
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      processUptime: expect.any(Number),
      durable: { workerRunning: true, stalled: false, failingInstances: [] },
    });

    const started = await http("POST", `${host.url}/api/orchestrators/HelloSequence`);
    await waitForEnd((started.body as { statusQueryGetUri: string }).statusQueryGetUri);
    expect((await http("POST", `${host.url}/api/counters/status-test/add`, 1)).status).toBe(202);
    let body: { durable: { completedLastMinute: Record<string, number>; lastCompletedTime: string } };
    const deadline = Date.now() + 10_000;
    do {
      body = (await http("GET", `${host.url}/admin/host/status`)).body as typeof body;
    } while (body.durable.completedLastMinute.entity === 0 && Date.now() < deadline);

    // HelloSequence: 3 activities and 4 episodes (start, then one per activity result).
    expect(body.durable.completedLastMinute.activity).toBeGreaterThanOrEqual(3);
    expect(body.durable.completedLastMinute.orchestration).toBeGreaterThanOrEqual(4);
    expect(body.durable.completedLastMinute.entity).toBeGreaterThanOrEqual(1);
    expect(Date.parse(body.durable.lastCompletedTime)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("answers only GET", async () => {
    const response = await http("POST", `${host.url}/admin/host/status`);
    expect(response.status).toBe(405);
    expect(response.body).toEqual({ Message: "Use GET." });
  });
});
