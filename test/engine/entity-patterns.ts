/**
 * Durable entities, written once against the durable-functions v3 API and run with any SDK that
 * offers it (the official package and ours) on any task hub (memory and Azure Storage).
 */
import type * as DurableFunctions from "durable-functions";
import type { EntityContext, OrchestrationContext } from "durable-functions";
import type { TaskHubClient } from "../../src/engine/client";
import { isTerminalStatus } from "../../src/engine/errors";
import type { InstanceState } from "../../src/providers/task-hub";

type DurableModule = typeof DurableFunctions;

interface Transfer {
  from: string;
  to: string;
  amount: number;
}

export function registerEntityPatterns(df: DurableModule): void {
  df.app.entity("Tally", (context: EntityContext<number>) => {
    const value = context.df.getState(() => 0) ?? 0;
    switch (context.df.operationName) {
      case "add":
        context.df.setState(value + (context.df.getInput<number>() ?? 1));
        break;
      case "get":
        context.df.return(value);
        break;
      case "addThenFail":
        // The change made before the throw must not survive it.
        context.df.setState(value + 1000);
        context.df.signalEntity(new df.EntityId("Tally", "echo"), "add", 1);
        throw new Error("addThenFail always fails");
      case "forward": {
        const target = context.df.getInput<string>() ?? "other";
        context.df.signalEntity(new df.EntityId("Tally", target), "add", value);
        break;
      }
      case "delete":
        context.df.destructOnExit();
        break;
      default:
        throw new Error(`Tally has no operation '${context.df.operationName}'`);
    }
  });

  df.app.entity("Account", (context: EntityContext<number>) => {
    const balance = context.df.getState(() => 0) ?? 0;
    switch (context.df.operationName) {
      case "deposit":
        context.df.setState(balance + (context.df.getInput<number>() ?? 0));
        break;
      case "withdraw": {
        const amount = context.df.getInput<number>() ?? 0;
        if (amount > balance) throw new Error("insufficient funds");
        context.df.setState(balance - amount);
        break;
      }
      case "balance":
        context.df.return(balance);
        break;
    }
  });

  df.app.activity("EntityTestBoom", {
    handler: () => {
      throw new Error("boom inside the critical section");
    },
  });

  df.app.orchestration("SignalTally", function* (context: OrchestrationContext) {
    const { key, times } = context.df.getInput<{ key: string; times: number }>() ?? { key: "k", times: 0 };
    for (let i = 0; i < times; i++) context.df.signalEntity(new df.EntityId("Tally", key), "add", 1);
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1));
    return times;
  });

  df.app.orchestration("CallTally", function* (context: OrchestrationContext) {
    const key = context.df.getInput<string>() ?? "k";
    const tally = new df.EntityId("Tally", key);
    yield context.df.callEntity(tally, "add", 5);
    const afterAdd: number = yield context.df.callEntity(tally, "get");
    let failure = "";
    try {
      yield context.df.callEntity(tally, "addThenFail");
    } catch {
      failure = "failed";
    }
    const afterFailure: number = yield context.df.callEntity(tally, "get");
    return { afterAdd, failure, afterFailure };
  });

  df.app.orchestration("Transfer", function* (context: OrchestrationContext) {
    const { from, to, amount } = context.df.getInput<Transfer>() as Transfer;
    const source = new df.EntityId("Account", from);
    const target = new df.EntityId("Account", to);
    const lock = yield context.df.lock([source, target]);
    try {
      const available: number = yield context.df.callEntity(source, "balance");
      if (available < amount) return "refused";
      yield context.df.callEntity(source, "withdraw", amount);
      yield context.df.callEntity(target, "deposit", amount);
      return "moved";
    } finally {
      (lock as { release(): void }).release();
    }
  });

  df.app.orchestration("LockThenFail", function* (context: OrchestrationContext) {
    const key = context.df.getInput<string>() ?? "k";
    yield context.df.lock([new df.EntityId("Account", key)]);
    yield context.df.callActivity("EntityTestBoom");
    return "unreachable";
  });

  df.app.orchestration("LockAndRead", function* (context: OrchestrationContext) {
    const key = context.df.getInput<string>() ?? "k";
    const account = new df.EntityId("Account", key);
    const lock = yield context.df.lock([account]);
    const balance: number = yield context.df.callEntity(account, "balance");
    (lock as { release(): void }).release();
    return balance;
  });

  df.app.orchestration("LockAndWait", function* (context: OrchestrationContext) {
    const key = context.df.getInput<string>() ?? "k";
    yield context.df.lock([new df.EntityId("Account", key)]);
    yield context.df.waitForExternalEvent("never");
    return "unreachable";
  });
}

/** What the entity tests need of a running engine, whatever its hub. */
export interface EntityTestEngine {
  client: TaskHubClient;
  stop(): Promise<void>;
}

export interface EntityPatternOptions {
  /** Wall-time budget for one wait; Azure Storage needs more than memory. */
  timeoutMs: number;
}

export function describeEntityPatterns(
  title: string,
  startEngine: () => Promise<EntityTestEngine>,
  options: EntityPatternOptions,
): void {
  describe(title, () => {
    let engine: EntityTestEngine;
    let client: TaskHubClient;
    beforeEach(async () => {
      engine = await startEngine();
      client = engine.client;
    });
    afterEach(async () => {
      await engine.stop();
    });

    const tally = (key: string) => ({ name: "Tally", key });
    const account = (key: string) => ({ name: "Account", key });

    async function start(name: string, input: unknown): Promise<string> {
      return client.startNew(name, { input: JSON.stringify(input) });
    }

    async function completed(instanceId: string): Promise<InstanceState> {
      const state = await client.waitForCompletion(instanceId, options.timeoutMs);
      if (!state || !isTerminalStatus(state.runtimeStatus)) {
        throw new Error(
          `${instanceId} did not end within ${options.timeoutMs} ms (${state?.runtimeStatus}).`,
        );
      }
      return state;
    }

    async function output(instanceId: string): Promise<unknown> {
      const state = await completed(instanceId);
      expect(state.runtimeStatus).toBe("Completed");
      return JSON.parse(state.output ?? "null");
    }

    async function stateOf(entity: { name: string; key: string }): Promise<unknown> {
      const read = await client.entities.readState(entity);
      return read.exists ? JSON.parse(read.state ?? "null") : undefined;
    }

    async function until(what: string, check: () => Promise<boolean>): Promise<void> {
      const deadline = Date.now() + options.timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`${what} did not happen within ${options.timeoutMs} ms.`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it("counts 1,000 signals from 10 orchestrations and the client exactly", async () => {
      const ids = await Promise.all(
        Array.from({ length: 10 }, () => start("SignalTally", { key: "many", times: 90 })),
      );
      await Promise.all(Array.from({ length: 100 }, () => client.entities.signal(tally("many"), "add", "1")));
      for (const id of ids) expect(await output(id)).toBe(90);
      await until("1,000 signals counted", async () => (await stateOf(tally("many"))) === 1000);
      // Nothing is counted twice: a final call sees the same total.
      await client.entities.signal(tally("many"), "add", "0");
      const call = await start("CallTally", "many");
      expect(await output(call)).toEqual({ afterAdd: 1005, failure: "failed", afterFailure: 1005 });
    });

    it("returns call results and errors, and rolls back the operation that threw", async () => {
      const id = await start("CallTally", "calls");
      expect(await output(id)).toEqual({ afterAdd: 5, failure: "failed", afterFailure: 5 });
      expect(await stateOf(tally("calls"))).toBe(5);
      // The failed operation's signal was not sent either.
      expect(await client.entities.readState(tally("echo"))).toEqual({ exists: false });
    });

    it("deletes an entity and forgets its state", async () => {
      await client.entities.signal(tally("gone"), "add", "3");
      await until("the entity exists", async () => (await stateOf(tally("gone"))) === 3);
      await client.entities.signal(tally("gone"), "delete", null);
      await until(
        "the entity is deleted",
        async () => !(await client.entities.readState(tally("gone"))).exists,
      );
      await client.entities.signal(tally("gone"), "add", "2");
      await until("the entity is back", async () => (await stateOf(tally("gone"))) === 2);
    });

    it("lets entities signal entities", async () => {
      await client.entities.signal(tally("source"), "add", "7");
      await client.entities.signal(tally("source"), "forward", JSON.stringify("target"));
      await until("the forwarded signal counted", async () => (await stateOf(tally("target"))) === 7);
    });

    it("keeps a bank's total across 50 concurrent locked transfers", async () => {
      await client.entities.signal(account("a"), "deposit", "500");
      await client.entities.signal(account("b"), "deposit", "500");
      await until("both accounts funded", async () => (await stateOf(account("b"))) === 500);
      const transfers = Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0 ? { from: "a", to: "b", amount: 7 + i } : { from: "b", to: "a", amount: 3 + i },
      );
      const ids = await Promise.all(transfers.map((transfer) => start("Transfer", transfer)));
      const outcomes = await Promise.all(ids.map(output));
      expect(outcomes.every((o) => o === "moved" || o === "refused")).toBe(true);
      const a = (await stateOf(account("a"))) as number;
      const b = (await stateOf(account("b"))) as number;
      expect(a + b).toBe(1000);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(b).toBeGreaterThanOrEqual(0);
      // Locks are all released: another critical section gets in.
      expect(await output(await start("LockAndRead", "a"))).toBe(a);
    });

    it("releases a lock when the orchestration holding it fails", async () => {
      const failing = await start("LockThenFail", "failing");
      const failed = await completed(failing);
      expect(failed.runtimeStatus).toBe("Failed");
      expect(failed.output).toContain("boom inside the critical section");
      expect(await output(await start("LockAndRead", "failing"))).toBe(0);
    });

    it("lists entities, and cleans up empty ones and locks whose holder is gone", async () => {
      await client.entities.signal(tally("listed-1"), "add", "1");
      await client.entities.signal(tally("listed-2"), "add", "2");
      await client.entities.signal(account("locked"), "deposit", "9");
      await until("both tallies exist", async () => (await stateOf(tally("listed-2"))) === 2);
      const page = await client.entities.list({ entityName: "TALLY", fetchState: true });
      expect(page.entities.map((e) => [e.entityId, e.state])).toEqual([
        [{ name: "tally", key: "listed-1" }, "1"],
        [{ name: "tally", key: "listed-2" }, "2"],
      ]);

      await client.entities.signal(tally("listed-1"), "delete", null);
      await until(
        "the tally is deleted",
        async () => !(await client.entities.readState(tally("listed-1"))).exists,
      );
      const holder = await start("LockAndWait", "locked");
      await until("the lock is held", async () =>
        (await client.entities.list({ entityName: "account" })).entities.some((e) => e.lockedBy === holder),
      );
      await client.purge(holder);

      const cleaned = await client.entities.clean(true, true);
      expect(cleaned).toEqual({ numberOfEmptyEntitiesRemoved: 1, numberOfOrphanedLocksRemoved: 1 });
      expect(await client.getInstance("@tally@listed-1")).toBeUndefined();
      expect(await output(await start("LockAndRead", "locked"))).toBe(9);
    });
  });
}
