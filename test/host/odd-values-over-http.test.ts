/**
 * Issue 13's repro and odd JSON values over real HTTP against the built `durable start` on the
 * run's Azurite: the demo app for the repro, an app on the official package
 * (fixtures/odd-values-app) for the value paths. Every value must come back code unit for code
 * unit; nothing may wedge the host.
 */
import { join } from "node:path";
import { http, startHost, waitForEnd, type HostProcess } from "./support/host-process";

const WEBHOOK = "/runtime/webhooks/durabletask";
const NORMAL_INSTANCES = 100;

let demo: HostProcess;
let oddApp: HostProcess;

beforeAll(async () => {
  [demo, oddApp] = await Promise.all([
    startHost(),
    startHost({ appDir: join(__dirname, "fixtures/odd-values-app") }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([demo?.stop(), oddApp?.stop()]);
});

/** Canonical JSON of a parsed value: equal texts mean equal code units, `__proto__` keys included. */
function canonical(value: unknown): string {
  return JSON.stringify(value);
}

interface Started {
  id: string;
  statusQueryGetUri: string;
}

async function startWithBody(host: HostProcess, name: string, body: string, id?: string): Promise<Started> {
  const path = id === undefined ? name : `${name}/${encodeURIComponent(id)}`;
  const response = await http("POST", `${host.url}${WEBHOOK}/orchestrators/${path}`, undefined, {
    rawBody: body,
  });
  expect({ status: response.status, text: response.text }).toMatchObject({ status: 202 });
  return response.body as Started;
}

describe("issue 13's repro on the demo app", () => {
  it("runs an instance whose input holds control characters and U+2028, and 100 after it", async () => {
    const oddInput = "\u0000\u0001\u001f\u007f\u0085\u2028";
    const body = JSON.stringify(oddInput);
    expect(body).toContain("\u2028");
    const odd = await startWithBody(demo, "HelloSequence", body);
    const normal: Started[] = [];
    for (let i = 0; i < NORMAL_INSTANCES; i += 20) {
      const batch = Array.from({ length: Math.min(20, NORMAL_INSTANCES - i) }, () =>
        startWithBody(demo, "HelloSequence", '"plain"'),
      );
      normal.push(...(await Promise.all(batch)));
    }

    const oddStatus = await waitForEnd(odd.statusQueryGetUri, 30_000);
    expect(oddStatus.runtimeStatus).toBe("Completed");
    expect(oddStatus.input).toBe(oddInput);
    for (const started of normal) {
      expect((await waitForEnd(started.statusQueryGetUri, 30_000)).runtimeStatus).toBe("Completed");
    }

    const withHistory = await http("GET", `${odd.statusQueryGetUri}&showHistory=true&showHistoryOutput=true`);
    expect(withHistory.status).toBe(200);
    const history = (withHistory.body as { historyEvents: { EventType: string; Input?: unknown }[] })
      .historyEvents;
    // History shows inputs as the JSON text stored.
    expect(history[0].EventType).toBe("ExecutionStarted");
    expect(JSON.parse(history[0].Input as string)).toBe(oddInput);
    expect(history.at(-1)).toMatchObject({
      EventType: "ExecutionCompleted",
      OrchestrationStatus: "Completed",
    });
  }, 60_000);
});

/** JSON texts as a client would send them, each with something storage or JSON finds hard. */
const ODD_VALUES: Record<string, string> = {
  "control characters": JSON.stringify("\u0000\u0001\u001f\u007f\u0080\u0085\u009f"),
  "line and paragraph separators": JSON.stringify({ "key\u2028": "a\u2028b\u2029c" }),
  noncharacters: JSON.stringify(["\ufffe", "\uffff", "x\uffffy"]),
  "lone surrogate escapes": '["\\ud800", "a\\udc00b", "\\udbff\\udfff"]',
  "__proto__ keys": '{"__proto__": {"polluted": true}, "nested": {"__proto__": [1]}}',
  "float64 edges":
    "[1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 9007199254740991]",
};

describe("odd values over the management API (official package)", () => {
  it.each(Object.entries(ODD_VALUES))(
    "round-trips %s as start input, event data, custom status and output",
    async (_label, text) => {
      const expected = canonical(JSON.parse(text));
      const started = await startWithBody(oddApp, "EchoValues", text);
      const raise = await http(
        "POST",
        `${oddApp.url}${WEBHOOK}/instances/${started.id}/raiseEvent/Value`,
        undefined,
        { rawBody: text },
      );
      expect(raise.status).toBe(202);

      const status = (await waitForEnd(started.statusQueryGetUri, 30_000)) as {
        runtimeStatus: string;
        input: unknown;
        customStatus: unknown;
        output: { input: unknown; event: unknown };
      };
      expect(status.runtimeStatus).toBe("Completed");
      expect(canonical(status.input)).toBe(expected);
      expect(canonical(status.customStatus)).toBe(expected);
      expect(canonical(status.output.input)).toBe(expected);
      expect(canonical(status.output.event)).toBe(expected);
      const history = await http("GET", `${started.statusQueryGetUri}&showHistory=true`);
      expect(history.status).toBe(200);
    },
    30_000,
  );

  it("keeps an entity's state under a key holding U+2028", async () => {
    const key = encodeURIComponent("line\u2028separated");
    const value = ODD_VALUES["line and paragraph separators"];
    const signal = await http("POST", `${oddApp.url}${WEBHOOK}/entities/Keeper/${key}?op=set`, undefined, {
      rawBody: value,
    });
    expect(signal.status).toBe(202);
    const deadline = Date.now() + 20_000;
    let read = await http("GET", `${oddApp.url}${WEBHOOK}/entities/Keeper/${key}`);
    while (read.status === 404 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      read = await http("GET", `${oddApp.url}${WEBHOOK}/entities/Keeper/${key}`);
    }
    expect(read.status).toBe(200);
    expect(canonical(read.body)).toBe(canonical(JSON.parse(value)));
    // The host still works: the next instance completes.
    const next = await startWithBody(oddApp, "EchoValues", '"after"');
    await http("POST", `${oddApp.url}${WEBHOOK}/instances/${next.id}/raiseEvent/Value`, 1);
    expect((await waitForEnd(next.statusQueryGetUri, 20_000)).runtimeStatus).toBe("Completed");
  }, 40_000);
});
