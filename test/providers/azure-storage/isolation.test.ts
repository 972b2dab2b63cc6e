/**
 * One instance whose every history commit fails (the storage answers 500 for it, as Azurite did
 * for a value it could not parse) must cost the instances beside it nothing: 200 instances on the
 * same partitions and worker finish in about the time they take alone.
 */
import * as df from "../../../src/index";
import { storageClientsFromConnectionString } from "../../../src/providers/azure-storage/connection";
import { StorageFaultProxy, historyCommitOf, internalError } from "../../support/storage-fault-proxy";
import { ScenarioHub } from "./azure-test-hub";

df.app.orchestration("IsolatedTwoSteps", function* (context) {
  const first: string = yield context.df.callActivity("IsolatedStep", "a");
  const second: string = yield context.df.callActivity("IsolatedStep", "b");
  return first + second;
});

df.app.activity("IsolatedStep", { handler: (step: string) => step.toUpperCase() });

const COUNT = 200;

let proxy: StorageFaultProxy;
let scenario: ScenarioHub;

beforeAll(async () => {
  proxy = await StorageFaultProxy.start();
  scenario = await ScenarioHub.create({
    clients: storageClientsFromConnectionString(proxy.connectionString, { requestTimeoutMs: 10_000 }),
    partitionCount: 2,
  });
  await scenario.startWorker();
}, 60_000);

afterAll(async () => {
  proxy.clear();
  await scenario?.dispose();
  await proxy?.close();
}, 60_000);

/** Starts `COUNT` instances and returns how long until every one of them has completed. */
async function runBatch(label: string): Promise<number> {
  const ids = Array.from({ length: COUNT }, (_, i) => `${label}-${i}`);
  const started = Date.now();
  await Promise.all(ids.map((id) => scenario.client.startNew("IsolatedTwoSteps", { instanceId: id })));
  const states = await Promise.all(ids.map((id) => scenario.client.waitForCompletion(id, 90_000)));
  const elapsed = Date.now() - started;
  expect(states.map((s) => s?.runtimeStatus)).toEqual(ids.map(() => "Completed"));
  expect(states.map((s) => JSON.parse(s?.output ?? "null"))).toEqual(ids.map(() => "AB"));
  return elapsed;
}

it("200 instances finish in about the time they take alone beside one whose commits always fail", async () => {
  // A first batch warms the hub (tables, leases, code paths), so the two measured ones compare.
  await runBatch("warm");
  const alone = await runBatch("alone");

  const failing = "always-failing";
  proxy.inject({ name: "failing", matches: historyCommitOf(failing), fault: internalError });
  await scenario.client.startNew("IsolatedTwoSteps", { instanceId: failing });
  const beside = await runBatch("beside");

  // The failing instance was being retried all along, and had not finished.
  expect(proxy.injected("failing")).toBeGreaterThan(0);
  expect((await scenario.hub.getInstance(failing))?.runtimeStatus).not.toBe("Completed");
  console.log(`200 instances: ${alone} ms alone, ${beside} ms beside a failing one`);
  expect(beside).toBeLessThan(alone * 1.5 + 3000);
}, 240_000);
