/**
 * The orchestrators whose runs are kept as recorded histories in test/fixtures/histories/. A
 * fixture names its orchestrator; changing one of these changes what its fixture must replay to.
 */
import { SchemaVersion, type DurableHttpResponsePayload } from "../../../../src/protocol";
import type { DurableApi, Orchestrator } from "../../../differential/support/apis";
import type { SimulationOptions } from "../../../differential/support/fake-host";

const DAY = 24 * 60 * 60 * 1000;

export interface RecordedScenario {
  orchestrator: (api: DurableApi) => Orchestrator;
  options: SimulationOptions;
}

export const recordedScenarios: Record<string, RecordedScenario> = {
  "order-processing": {
    orchestrator: (api) =>
      function* (context) {
        const order = context.df.getInput<{ id: string; items: string[] }>();
        context.df.setCustomStatus({ stage: "reserving" });
        const reserved: unknown = yield context.df.Task.all(
          order.items.map((item) =>
            context.df.callActivityWithRetry("Reserve", new api.RetryOptions(1000, 3), item),
          ),
        );
        context.df.setCustomStatus({ stage: "charging" });
        const receipt: unknown = yield context.df.callActivity("Charge", { id: order.id, reserved });
        context.df.signalEntity(new api.EntityId("Stats", "orders"), "add", 1);
        return { receipt, id: context.df.newGuid(context.df.instanceId) };
      },
    options: {
      input: { id: "o-1", items: ["apple", "pear", "plum"] },
      world: {
        activity: (name, input, attempt) =>
          name === "Reserve" && input === '"pear"' && attempt === 1
            ? { error: { message: "Activity function 'Reserve' failed: busy", details: "Error: busy" } }
            : { result: `${name}:${JSON.stringify(input)}` },
      },
    },
  },
  "approval-with-timeout": {
    orchestrator: () =>
      function* (context) {
        const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 7 * DAY));
        const approval = context.df.waitForExternalEvent("Approval");
        const winner = yield context.df.Task.any([approval, deadline]);
        if (winner === approval) {
          deadline.cancel();
          return yield context.df.callActivity("Approved", approval.result);
        }
        return "timed out";
      },
    options: {
      world: {
        events: [{ episode: 3, name: "Approval", input: { by: "ana" } }],
        activity: (name, input) => ({ result: { name, input } }),
      },
    },
  },
  "bank-transfer-v4": {
    orchestrator: (api) =>
      function* (context) {
        const from = new api.EntityId("Account", "alice");
        const to = new api.EntityId("Account", "bob");
        const lock = (yield context.df.lock(from, to)) as { release(): void };
        const balance = (yield context.df.callEntity(from, "get")) as number;
        if (balance >= 10) {
          yield context.df.Task.all([
            context.df.callEntity(from, "add", -10),
            context.df.callEntity(to, "add", 10),
          ]);
        }
        lock.release();
        return balance;
      },
    options: { schema: SchemaVersion.V4, world: { entity: () => 25 } },
  },
  "http-polling": {
    orchestrator: () =>
      function* (context) {
        return yield context.df.callHttp({ method: "POST", url: "https://example.com/jobs", body: { n: 1 } });
      },
    options: {
      world: {
        http: (request, round): DurableHttpResponsePayload =>
          round < 3
            ? { statusCode: 202, headers: { Location: `${request.uri}/1`, "Retry-After": "5" } }
            : { statusCode: 200, headers: { "Content-Type": "application/json" }, content: '{"ok":true}' },
      },
    },
  },
  "failed-sub-orchestration": {
    orchestrator: () =>
      function* (context) {
        yield context.df.callSubOrchestrator("Child", 1, "child-1");
        yield context.df.callSubOrchestrator("Child", 2, "child-2");
      },
    options: {
      world: {
        subOrchestration: (_name, input) =>
          input === 2
            ? {
                error: {
                  message: "Orchestrator function 'Child' failed: no",
                  details: "Message: no, StackTrace: at child",
                  failureDetails: {
                    ErrorType: "Error",
                    ErrorMessage: "no",
                    StackTrace: "Error: no\n    at child",
                    InnerFailure: null,
                    IsNonRetriable: false,
                    Properties: null,
                  },
                },
              }
            : { result: "fine" },
      },
    },
  },
};
