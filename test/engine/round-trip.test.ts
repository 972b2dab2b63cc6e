/**
 * Every odd JSON value through every path an app can put a value on, with the durable-ts SDK,
 * on the memory hub and on Azure Storage (Azurite): what comes out is exactly what went in.
 */
import * as df from "../../src";
import type { TaskHubClient } from "../../src/engine/client";
import { HistoryEventType } from "../../src/protocol/history";
import type { InstanceState } from "../../src/providers/task-hub";
import { firstDifference } from "../support/exact-json";
import { waitFor } from "../support/wait-for";
import { azureStorageEngine, memoryEngine } from "./entity-engines";
import type { EntityTestEngine } from "./entity-patterns";
import { ODD_VALUES, parsed, registerRoundTripFunctions, type OddValue } from "./round-trip-values";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../support/official-invoker")>("../support/official-invoker")
    .interceptGeneric(),
);

registerRoundTripFunctions(df as unknown as Parameters<typeof registerRoundTripFunctions>[0]);

const WAIT_MS = 45_000;

/** Carries one value through one path; returns what differs, or undefined when nothing does. */
type Carry = (client: TaskHubClient, value: OddValue, instanceId: string) => Promise<string | undefined>;

interface Path {
  carry: Carry;
  /** Whether app code serializes the value again on the way (so too deep a value fails it). */
  throughAppCode: boolean;
  /** How a value too deep for JavaScript shows on this path; a stack overflow unless said. */
  tooDeepOutcome?: RegExp;
}

async function ended(client: TaskHubClient, instanceId: string): Promise<InstanceState> {
  const state = await client.waitForCompletion(instanceId, WAIT_MS);
  if (!state) throw new Error(`${instanceId} does not exist.`);
  return state;
}

/** The difference between a stored JSON text and the value, or why there is no such text. */
function compareJson(what: string, text: string | null | undefined, value: OddValue): string | undefined {
  if (text === null || text === undefined) return `${what} is missing`;
  const difference = firstDifference(JSON.parse(text), parsed(value));
  return difference === undefined ? undefined : `${what}: ${difference}`;
}

async function compareOutput(
  client: TaskHubClient,
  instanceId: string,
  value: OddValue,
): Promise<string | undefined> {
  const state = await ended(client, instanceId);
  if (state.runtimeStatus !== "Completed") {
    return `the instance is ${state.runtimeStatus}: ${String(state.output).slice(0, 300)}`;
  }
  return compareJson("the output", state.output, value);
}

/** The text a reason carries: a string value itself, anything else as its JSON text. */
function reasonOf(value: OddValue): string {
  const data = parsed(value);
  return typeof data === "string" ? data : value.json;
}

const PATHS: Record<string, Path> = {
  "start input and orchestration output": {
    throughAppCode: true,
    carry: async (client, value, id) => {
      await client.startNew("RtReturnInput", { instanceId: id, input: value.json });
      const difference = await compareOutput(client, id, value);
      return difference ?? compareJson("the stored input", (await client.getInstance(id))?.input, value);
    },
  },
  "activity input and result": {
    throughAppCode: true,
    carry: async (client, value, id) => {
      await client.startNew("RtActivity", { instanceId: id, input: value.json });
      return compareOutput(client, id, value);
    },
  },
  "event data": {
    throughAppCode: true,
    carry: async (client, value, id) => {
      await client.startNew("RtEvent", { instanceId: id });
      await client.raiseEvent(id, "Value", value.json);
      return compareOutput(client, id, value);
    },
  },
  "sub-orchestration input and output": {
    throughAppCode: true,
    carry: async (client, value, id) => {
      await client.startNew("RtSubOrchestration", { instanceId: id, input: value.json });
      return compareOutput(client, id, value);
    },
  },
  "continue-as-new input": {
    throughAppCode: true,
    carry: async (client, value, id) => {
      await client.startNew("RtContinueAsNew", {
        instanceId: id,
        input: `{"again":true,"value":${value.json}}`,
      });
      return compareOutput(client, id, value);
    },
  },
  "custom status": {
    throughAppCode: true,
    carry: async (client, value, id) => {
      await client.startNew("RtCustomStatus", { instanceId: id, input: value.json });
      const state = await ended(client, id);
      if (state.runtimeStatus !== "Completed")
        return `the instance is ${state.runtimeStatus}: ${state.output}`;
      // Both SDKs drop a falsy custom status (false, 0, ""): it reads as none.
      if (!parsed(value))
        return state.customStatus === null ? undefined : `custom status ${state.customStatus}`;
      return compareJson("the custom status", state.customStatus, value);
    },
  },
  "entity operation input, state and result": {
    throughAppCode: true,
    carry: async (client, value, id) => {
      await client.startNew("RtEntity", { instanceId: id, input: value.json });
      const difference = await compareOutput(client, id, value);
      const read = await client.entities.readState({ name: "RtStore", key: id });
      return difference ?? compareJson("the entity state", read.state, value);
    },
  },
  "entity signal from a client": {
    throughAppCode: true,
    // A signal's failure has no caller to tell: the entity is simply never created.
    tooDeepOutcome: /never created/,
    carry: async (client, value, id) => {
      const entity = { name: "RtStore", key: id };
      await client.entities.signal(entity, "set", value.json);
      try {
        await waitFor(async () => (await client.entities.readState(entity)).exists, 10_000, `entity ${id}`);
      } catch {
        return "the entity was never created";
      }
      return compareJson("the entity state", (await client.entities.readState(entity)).state, value);
    },
  },
  "terminate reason": {
    throughAppCode: false,
    carry: async (client, value, id) => {
      await client.startNew("RtWaitForever", { instanceId: id });
      const reason = reasonOf(value);
      await client.terminate(id, reason);
      const state = await ended(client, id);
      if (state.runtimeStatus !== "Terminated") return `the instance is ${state.runtimeStatus}`;
      return firstDifference(state.output, reason);
    },
  },
  "suspend reason": {
    throughAppCode: false,
    carry: async (client, value, id) => {
      await client.startNew("RtWaitForever", { instanceId: id });
      const reason = reasonOf(value);
      await client.suspend(id, reason);
      await waitFor(
        async () => (await client.getInstance(id))?.runtimeStatus === "Suspended",
        WAIT_MS,
        `${id} suspended`,
      );
      const suspended = (await client.getHistory(id)).find(
        (event) => event.EventType === HistoryEventType.ExecutionSuspended,
      );
      await client.terminate(id, "end of test");
      if (!suspended || !("Reason" in suspended)) return "no ExecutionSuspended event in the history";
      return firstDifference(suspended.Reason, reason);
    },
  },
};

function describeRoundTrips(
  provider: string,
  start: () => Promise<EntityTestEngine>,
  timeoutMs: number,
): void {
  describe(`every JSON value round-trips on ${provider}`, () => {
    let engine: EntityTestEngine;
    beforeAll(async () => {
      engine = await start();
    });
    afterAll(() => engine?.stop());

    for (const [pathName, path] of Object.entries(PATHS)) {
      it(
        `through the ${pathName}`,
        async () => {
          const slug = pathName.replace(/[^a-z]+/gi, "-");
          const outcomes = await Promise.all(
            ODD_VALUES.map(async (value, index) => {
              const id = `rt-${slug}-${index}-${Date.now().toString(36)}`;
              let difference: string | undefined;
              try {
                difference = await path.carry(engine.client, value, id);
              } catch (error) {
                difference = (error as Error).message.slice(0, 300);
              }
              if (value.tooDeepForJavaScript && path.throughAppCode) {
                // Not kept, but refused at once with a reason: the instance fails, nothing waits.
                return (path.tooDeepOutcome ?? /Maximum call stack size exceeded/).test(difference ?? "")
                  ? undefined
                  : `${value.name}: expected a stack overflow failure, got ${difference ?? "the value back"}`;
              }
              return difference === undefined ? undefined : `${value.name}: ${difference}`;
            }),
          );
          expect(outcomes.filter((outcome) => outcome !== undefined)).toEqual([]);
        },
        timeoutMs,
      );
    }
  });
}

describeRoundTrips("the memory hub", () => memoryEngine(), 30_000);
describeRoundTrips("Azure Storage", () => azureStorageEngine(), 90_000);
