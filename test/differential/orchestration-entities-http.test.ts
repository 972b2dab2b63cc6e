/** Entity calls, signals, critical sections and durable HTTP, against durable-functions 3.5.0. */
import { SchemaVersion } from "../../src/protocol";
import type { DurableHttpRequestPayload, DurableHttpResponsePayload } from "../../src/protocol";
import type { DurableApi, Orchestrator } from "./support/apis";
import { expectSameAtEveryEpisode, finalOutcome } from "./support/differential";

const ALL_SCHEMAS = [SchemaVersion.V1, SchemaVersion.V2, SchemaVersion.V3, SchemaVersion.V4];

function counterEntity(): (instanceId: string, operation: string, input: unknown) => unknown {
  const counts = new Map<string, number>();
  return (instanceId, operation, input) => {
    if (operation === "fail") {
      throw new Error("entity says no");
    }
    const next = (counts.get(instanceId) ?? 0) + (typeof input === "number" ? input : 0);
    counts.set(instanceId, next);
    return next;
  };
}

describe.each(ALL_SCHEMAS)("schema %s", (schema) => {
  it("calls and signals entities", async () => {
    const orchestrator = (api: DurableApi): Orchestrator =>
      function* (context) {
        const counter = new api.EntityId("Counter", "Key-1");
        context.df.signalEntity(counter, "add", 5);
        const value: unknown = yield context.df.callEntity(counter, "add", 2);
        const other: unknown = yield context.df.callEntity(new api.EntityId("counter", "other"), "get");
        context.df.signalEntity(new api.EntityId("Logger", "x"), "log", { value });
        const both: unknown = yield context.df.Task.all([
          context.df.callEntity(counter, "add", 1),
          context.df.callEntity(new api.EntityId("counter", "third"), "add", 10),
        ]);
        try {
          yield context.df.callEntity(counter, "fail");
        } catch (error) {
          return [value, other, both, (error as Error).message];
        }
        return "not reached";
      };
    await expectSameAtEveryEpisode(orchestrator, { schema, world: { entity: counterEntity() } });
  });

  it("makes durable HTTP calls without polling", async () => {
    const orchestrator = (api: DurableApi): Orchestrator =>
      function* (context) {
        const plain: unknown = yield context.df.callHttp({ method: "GET", url: "https://example.com/a" });
        const withBody: unknown = yield context.df.callHttp({
          method: "POST",
          url: "https://example.com/b",
          body: { hello: "world" },
          headers: { "x-test": "1" },
          tokenSource: new api.ManagedIdentityTokenSource("https://management.core.windows.net/.default"),
          enablePolling: false,
        });
        const legacyFlag: unknown = yield context.df.callHttp({
          method: "PUT",
          url: "https://example.com/c",
          body: "text body",
          asynchronousPatternEnabled: false,
        });
        return [plain, withBody, legacyFlag];
      };
    await expectSameAtEveryEpisode(orchestrator, {
      schema,
      world: {
        http: (request) => ({
          statusCode: 200,
          headers: { "Content-Type": "text/plain" },
          content: request.uri,
        }),
      },
    });
  });
});

describe("durable HTTP polling (V3 and V4)", () => {
  const pollingWorld = (request: DurableHttpRequestPayload, round: number): DurableHttpResponsePayload =>
    round < 3
      ? {
          statusCode: 202,
          headers:
            round === 1 ? { Location: `${request.uri}/status`, "Retry-After": "10" } : { location: "x" },
          content: "",
        }
      : {
          statusCode: 200,
          headers: { "Content-Type": ["application/json", "charset=utf-8"] },
          content: '{"done":true}',
        };

  it.each([SchemaVersion.V2, SchemaVersion.V3, SchemaVersion.V4])(
    "polls a 202 with Location (schema %s)",
    async (schema) => {
      const orchestrator = (): Orchestrator =>
        function* (context) {
          const response = (yield context.df.callHttp({ method: "GET", url: "https://example.com/job" })) as {
            statusCode: number;
          };
          return [response.statusCode, response];
        };
      const episodes = await expectSameAtEveryEpisode(orchestrator, {
        schema,
        defaultHttpAsyncRequestSleepTimeMillseconds: 5000,
        world: { http: pollingWorld },
      });
      if (schema >= SchemaVersion.V3) {
        // start, then 202, timer, 202, timer, 200
        expect(episodes).toHaveLength(6);
      }
    },
  );

  it("polls from inside a fan-out", async () => {
    const orchestrator = (): Orchestrator =>
      function* (context) {
        return yield context.df.Task.all([
          context.df.callHttp({ method: "GET", url: "https://example.com/one" }),
          context.df.callActivity("Side"),
          context.df.callHttp({ method: "GET", url: "https://example.com/two" }),
        ]);
      };
    const episodes = await expectSameAtEveryEpisode(orchestrator, {
      schema: SchemaVersion.V3,
      world: { http: pollingWorld },
    });
    expect(finalOutcome(episodes).kind).toBe("state");
  });

  it("fails without a polling interval in the trigger", async () => {
    const orchestrator = (): Orchestrator =>
      function* (context) {
        return yield context.df.callHttp({ method: "GET", url: "https://example.com/job" });
      };
    const episodes = await expectSameAtEveryEpisode(orchestrator, {
      schema: SchemaVersion.V3,
      defaultHttpAsyncRequestSleepTimeMillseconds: 0,
    });
    expect(finalOutcome(episodes).kind).toBe("failure");
  });
});

describe("critical sections (schema V4)", () => {
  it("locks entities, calls them, signals others and releases", async () => {
    const orchestrator = (api: DurableApi): Orchestrator =>
      function* (context) {
        const b = new api.EntityId("Account", "b");
        const a = new api.EntityId("account", "a");
        const states: unknown[] = [context.df.isLocked()];
        const lock = (yield context.df.lock(b, a, b)) as { release(): void; ownedLocks: unknown[] };
        states.push(context.df.isLocked(), lock.ownedLocks);
        const balances: unknown = yield context.df.Task.all([
          context.df.callEntity(a, "add", -5),
          context.df.callEntity(b, "add", 5),
        ]);
        context.df.signalEntity(new api.EntityId("Audit", "log"), "record", balances);
        lock.release();
        lock.release();
        states.push(context.df.isLocked());
        const second = (yield context.df.lock([a])) as { release(): void };
        yield context.df.callEntity(a, "add", 1);
        second.release();
        return states;
      };
    await expectSameAtEveryEpisode(orchestrator, {
      schema: SchemaVersion.V4,
      world: { entity: counterEntity() },
    });
  });

  it.each([
    ["nested locks", "nested"],
    ["a sub-orchestration inside a lock", "sub"],
    ["a call to an entity that is not locked", "unlocked"],
    ["two parallel calls to one locked entity", "parallel"],
    ["a signal to a locked entity", "signal"],
  ])("refuses %s", async (_label, rule) => {
    const orchestrator = (api: DurableApi): Orchestrator =>
      function* (context) {
        const a = new api.EntityId("account", "a");
        yield context.df.lock(a);
        switch (rule) {
          case "nested":
            yield context.df.lock(new api.EntityId("account", "z"));
            break;
          case "sub":
            yield context.df.callSubOrchestrator("Child");
            break;
          case "unlocked":
            yield context.df.callEntity(new api.EntityId("account", "z"), "get");
            break;
          case "parallel":
            yield context.df.Task.all([context.df.callEntity(a, "get"), context.df.callEntity(a, "get")]);
            break;
          default:
            context.df.signalEntity(a, "get");
        }
        return "not reached";
      };
    const episodes = await expectSameAtEveryEpisode(orchestrator, {
      schema: SchemaVersion.V4,
      world: { entity: counterEntity() },
    });
    expect(finalOutcome(episodes).kind).toBe("failure");
  });

  it.each([SchemaVersion.V1, SchemaVersion.V2, SchemaVersion.V3])(
    "is refused below V4 (schema %s)",
    async (schema) => {
      const orchestrator = (api: DurableApi): Orchestrator =>
        function* (context) {
          yield context.df.lock(new api.EntityId("account", "a"));
        };
      const episodes = await expectSameAtEveryEpisode(orchestrator, { schema });
      expect(finalOutcome(episodes).kind).toBe("failure");
    },
  );

  it("rejects bad lock arguments", async () => {
    const orchestrator = (): Orchestrator =>
      function* (context) {
        const errors: string[] = [];
        const attempts: (() => unknown)[] = [
          () => context.df.lock(),
          () => context.df.lock([]),
          () => context.df.lock({ name: "x", key: "y" } as never),
        ];
        for (const attempt of attempts) {
          try {
            attempt();
          } catch (error) {
            errors.push(`${(error as Error).name}: ${(error as Error).message}`);
          }
        }
        return errors;
      };
    await expectSameAtEveryEpisode(orchestrator, { schema: SchemaVersion.V4 });
  });
});
