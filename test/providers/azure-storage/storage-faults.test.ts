/**
 * Faults at the storage boundary, injected by a proxy in front of Azurite at each step of an
 * orchestration's checkpoint (the history read, the message sends, the history transaction,
 * the status row, the message deletes): a passing fault costs the instance a retry and nothing
 * else; a permanent refusal, or a fault that never passes, fails that instance with a reason
 * that says what happened; instances beside it finish as if nothing were wrong.
 */
import * as df from "../../../src/index";
import { TaskHubClient } from "../../../src/engine/client";
import type { FunctionInvoker } from "../../../src/engine/invoker";
import { storageClientsFromConnectionString } from "../../../src/providers/azure-storage/connection";
import type { InstanceState } from "../../../src/providers/task-hub";
import { RegistryInvoker } from "../../../src/testing/registry-invoker";
import {
  StorageFaultProxy,
  badRequest,
  historyCommitOf,
  historyReadOf,
  internalError,
  messageDelete,
  activityRequestFor,
  finalStatusRowOf,
  type StorageFault,
  type StorageRequest,
} from "../../support/storage-fault-proxy";
import { ScenarioHub } from "./azure-test-hub";

df.app.orchestration("FaultySteps", function* (context) {
  const results: string[] = [];
  for (const step of ["a", "b", "c"]) results.push(yield context.df.callActivity("FaultyStep", step));
  return `${context.df.getInput<string>()}:${results.join("")}`;
});

df.app.activity("FaultyStep", { handler: (step: string) => step.toUpperCase() });

df.app.entity("FaultyCounter", (context: df.EntityContext<number>) => {
  const value = (context.df.getState(() => 0) ?? 0) + 1;
  context.df.setState(value);
  context.df.return(value);
});

df.app.orchestration("CallsFaultyCounter", function* (context) {
  try {
    const value: number = yield context.df.callEntity(
      new df.EntityId("FaultyCounter", context.df.getInput<string>() ?? ""),
      "increment",
    );
    return `value ${value}`;
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
});

/** Retries quickly and gives up after a few attempts, so a failing instance ends within seconds. */
const failureSettings = { maxAttempts: 4, firstRetryDelayMs: 100, maxRetryDelayMs: 400 };

const hang: StorageFault = { kind: "hang" };
const drop: StorageFault = { kind: "drop" };

let proxy: StorageFaultProxy;
let scenario: ScenarioHub;
/** A client on another hub object, as another process's: the worker's hub must read what it writes. */
let remoteClient: TaskHubClient;
let throwingFor: string | undefined;

/** The registry's functions, except that invoking the orchestrator of one instance throws. */
class InvokerThatThrowsFor extends RegistryInvoker implements FunctionInvoker {
  override invokeOrchestrator(...args: Parameters<RegistryInvoker["invokeOrchestrator"]>) {
    const [, payload] = args;
    if (payload.instanceId === throwingFor) return Promise.reject(new Error("the app crashed in a hook"));
    return super.invokeOrchestrator(...args);
  }
}

beforeAll(async () => {
  proxy = await StorageFaultProxy.start();
  scenario = await ScenarioHub.create({
    clients: storageClientsFromConnectionString(proxy.connectionString, { requestTimeoutMs: 3000 }),
    partitionCount: 2,
  });
  await scenario.startWorker({ failureSettings }, scenario.hub, new InvokerThatThrowsFor());
  remoteClient = new TaskHubClient(scenario.sibling());
}, 60_000);

afterEach(() => {
  proxy.clear();
  throwingFor = undefined;
});

afterAll(async () => {
  await scenario?.dispose();
  await proxy?.close();
}, 60_000);

let next = 0;
function newId(label: string): string {
  return `${label}-${next++}-${Date.now().toString(36)}`;
}

async function startAll(client: TaskHubClient, ids: readonly string[]): Promise<void> {
  await Promise.all(
    ids.map((id) => client.startNew("FaultySteps", { instanceId: id, input: JSON.stringify(id) })),
  );
}

async function finalStates(ids: readonly string[], timeoutMs: number): Promise<InstanceState[]> {
  return Promise.all(
    ids.map(async (id) => {
      const state = await scenario.client.waitForCompletion(id, timeoutMs);
      if (!state || state.completedTime === null) {
        throw new Error(`${id} did not finish within ${timeoutMs} ms; errors: ${scenario.errors.join("\n")}`);
      }
      return state;
    }),
  );
}

function expectCompleted(states: readonly InstanceState[]): void {
  for (const state of states) {
    expect({
      id: state.instanceId,
      status: state.runtimeStatus,
      output: state.runtimeStatus === "Completed" ? "" : state.output,
    }).toEqual({
      output: "",
      id: state.instanceId,
      status: "Completed",
    });
    expect(JSON.parse(state.output ?? "null")).toBe(`${state.instanceId}:ABC`);
  }
}

type Step = [string, (instanceId: string) => (request: StorageRequest) => boolean];

const steps: Step[] = [
  ["the history read", historyReadOf],
  ["an activity request's send", activityRequestFor],
  ["the history transaction", historyCommitOf],
  ["the final status row write", finalStatusRowOf],
  ["a message delete", () => messageDelete],
];

const passingFaults: [string, StorageFault][] = [
  ["a 500", internalError],
  ["a request that never answers", hang],
  ["a dropped connection", drop],
];

describe("a fault that passes", () => {
  const cases = steps.flatMap(([step, matcher]) =>
    passingFaults.map(([fault, kind]) => [step, fault, matcher, kind] as const),
  );

  it.each(cases)(
    "at %s (%s) costs a retry, and the instance and its neighbours finish",
    async (_step, faultName, matcher, fault) => {
      const victim = newId("victim");
      const neighbours = [1, 2, 3].map(() => newId("neighbour"));
      const name = `${_step} ${faultName}`;
      // Twice: more than one try of the storage SDK's own retries would absorb.
      proxy.inject({ name, matches: matcher(victim), fault, times: 2 });
      await startAll(remoteClient, [victim, ...neighbours]);

      expectCompleted(await finalStates([victim, ...neighbours], 30_000));
      expect(proxy.injected(name)).toBeGreaterThan(0);
    },
    60_000,
  );
});

describe("a fault that does not pass", () => {
  it("a refused history transaction (400) fails the instance at once, saying why, and keeps its messages", async () => {
    const victim = newId("refused");
    const neighbours = [1, 2, 3].map(() => newId("neighbour"));
    proxy.inject({ name: "refused", matches: historyCommitOf(victim), fault: badRequest });
    await startAll(scenario.client, [victim, ...neighbours]);

    const [failed, ...others] = await finalStates([victim, ...neighbours], 20_000);
    expectCompleted(others);
    expect(failed.runtimeStatus).toBe("Failed");
    expect(failed.output).toContain("Azure Storage refused the request (InvalidInput, HTTP 400)");
    expect(failed.output).toContain("set aside as poison");
    // Given up on at the second delivery: no long series of retries first.
    expect(proxy.injected("refused")).toBeLessThanOrEqual(3);
    const poisoned = await scenario.hub.poison.list(victim);
    expect(poisoned.length).toBeGreaterThan(0);
    expect(String(poisoned[0].Reason)).toContain("cannot succeed however often it is tried");
  }, 30_000);

  it("a history transaction that always fails with 500 fails the instance after its attempts", async () => {
    const victim = newId("always500");
    const neighbours = [1, 2, 3].map(() => newId("neighbour"));
    proxy.inject({ name: "always500", matches: historyCommitOf(victim), fault: internalError });
    await startAll(scenario.client, [victim, ...neighbours]);

    const [failed, ...others] = await finalStates([victim, ...neighbours], 60_000);
    expectCompleted(others);
    expect(failed.runtimeStatus).toBe("Failed");
    expect(failed.output).toContain(`failed ${failureSettings.maxAttempts} times in a row`);
    expect(failed.output).toContain("InternalError");
  }, 75_000);

  it("an entity that cannot be read answers its callers with the reason instead of leaving them waiting", async () => {
    const key = newId("refused-key");
    const entityId = `@faultycounter@${key}`;
    // Refused before the batch runs: a failed commit would come after the answers went out.
    proxy.inject({ name: "refused entity", matches: historyReadOf(entityId), fault: badRequest });
    const caller = await scenario.client.startNew("CallsFaultyCounter", { input: JSON.stringify(key) });
    const healthyKey = newId("healthy-key");
    const healthy = await scenario.client.startNew("CallsFaultyCounter", {
      input: JSON.stringify(healthyKey),
    });

    const [refused, served] = await Promise.all(
      [caller, healthy].map((id) => scenario.client.waitForCompletion(id, 20_000)),
    );
    expect(refused?.runtimeStatus).toBe("Completed");
    expect(JSON.parse(refused?.output ?? "null")).toMatch(/^failed: /);
    expect(JSON.parse(served?.output ?? "null")).toBe("value 1");
    expect((await scenario.hub.poison.list(entityId)).length).toBeGreaterThan(0);
  }, 30_000);

  it("an orchestrator invocation that throws fails that instance only", async () => {
    const victim = newId("throws");
    const neighbours = [1, 2, 3].map(() => newId("neighbour"));
    throwingFor = victim;
    await startAll(scenario.client, [victim, ...neighbours]);

    const [failed, ...others] = await finalStates([victim, ...neighbours], 20_000);
    expectCompleted(others);
    expect(failed.runtimeStatus).toBe("Failed");
    expect(failed.output).toContain("the app crashed in a hook");
  }, 30_000);
});
