/**
 * The fuzz suite: hundreds of generated bad and odd requests against the real `durable start`
 * (the built CLI serving the demo app in functions/ on Azurite) over real HTTP. Every answer
 * must come in time, be no 5xx, carry a message when it refuses, and leak no secret; afterwards
 * a normal orchestration must still complete. The generator is seeded: FUZZ_SEED=<n> replays a run.
 */
import { randomUUID } from "node:crypto";
import { http, startHost, waitForEnd, type HostProcess } from "../host/support/host-process";
import { testStorageConnectionString } from "../support/test-storage";
import { RequestGenerator, type FuzzRequest } from "./support/request-generator";
import { SeededRandom } from "./support/seeded-random";
import { send, sendRaw, type FuzzAnswer } from "./support/send";

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_613);
const REQUEST_COUNT = 700;
const CONCURRENCY = 6;
/** How long any answer may take, except requests that ask to wait (they get their maxMs). */
const ANSWER_LIMIT_MS = 10_000;
/** A setting of the app that must never reach an answer. */
const CANARY = `canary-${randomUUID()}`;
/** Statuses that refuse something: their answers must say what. */
const REFUSALS_WITH_MESSAGE = [400, 409, 413, 414, 431];

const WEBHOOK = "/runtime/webhooks/durabletask";

let host: HostProcess;
const known = { running: "fuzz-running", completed: "fuzz-completed", counterKey: "fuzz-counter" };

beforeAll(async () => {
  host = await startHost({ env: { FUZZ_CANARY_SECRET: CANARY } });
  const running = await http("POST", `${host.url}${WEBHOOK}/orchestrators/Approval/${known.running}`, {
    timeoutSeconds: 3600,
  });
  expect(running.status).toBe(202);
  const completed = await http("POST", `${host.url}/api/orchestrators/HelloSequence/${known.completed}`);
  expect(completed.status).toBe(202);
  await waitForEnd((completed.body as { statusQueryGetUri: string }).statusQueryGetUri);
  expect((await http("POST", `${host.url}/api/counters/${known.counterKey}/add`, 2)).status).toBe(202);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

/** Everything in an answer that would be a leak: the storage connection, its key, app settings. */
function secrets(): string[] {
  const connection = testStorageConnectionString();
  const accountKey = /AccountKey=([^;]+)/.exec(connection)?.[1];
  return [
    connection,
    ...(accountKey ? [accountKey] : []),
    "AccountKey=",
    "DefaultEndpointsProtocol=",
    "UseDevelopmentStorage",
    CANARY,
  ];
}

/** What is wrong with an answer, or undefined when it is fine. */
function problemWith(request: Pick<FuzzRequest, "maxMs" | "method">, answer: FuzzAnswer): string | undefined {
  const limit = request.maxMs ?? ANSWER_LIMIT_MS;
  if (answer.status === -1) return `no answer within ${limit} ms`;
  if (answer.status <= 0) return `no HTTP answer: ${answer.text.slice(0, 200)}`;
  if (answer.elapsedMs > limit) return `answered after ${answer.elapsedMs} ms`;
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.body.slice(0, 300)}`;
  const bodyless = request.method === "HEAD";
  if (REFUSALS_WITH_MESSAGE.includes(answer.status) && !bodyless && answer.body.trim() === "") {
    return `answered ${answer.status} without saying why`;
  }
  const leaked = secrets().find((secret) => answer.text.includes(secret));
  if (leaked) return `leaked ${leaked.slice(0, 24)}...`;
  return undefined;
}

async function runAll(requests: FuzzRequest[]): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const index = next++;
      const request = requests[index];
      const limit = request.maxMs ?? ANSWER_LIMIT_MS;
      const answer = await send(
        host.port,
        request.method,
        request.target,
        request.headers,
        request.body,
        limit + 2000,
      );
      const problem = problemWith(request, answer);
      if (problem) {
        failures.push(
          `#${index} ${request.method} ${request.target.slice(0, 160)} (${request.label}): ${problem}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

/** Requests node:http would not send: they go over a bare socket, byte for byte. */
function rawRequests(): { label: string; bytes: Buffer; expected: number }[] {
  const line = (target: string, extra = ""): Buffer =>
    Buffer.from(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${extra}\r\n`, "latin1");
  return [
    {
      label: "12 KB query on the list route",
      bytes: line(`${WEBHOOK}/instances?instanceIdPrefix=${"p".repeat(12 * 1024)}`),
      expected: 414,
    },
    {
      label: "10 KB query on a demo route",
      bytes: line(`/api/counters/k?x=${"q".repeat(10 * 1024)}`),
      expected: 414,
    },
    { label: "40 KB URL", bytes: line(`${WEBHOOK}/instances/${"i".repeat(40 * 1024)}`), expected: 431 },
    {
      label: "20 KB header",
      bytes: line(`${WEBHOOK}/instances`, `X-Big: ${"h".repeat(20 * 1024)}\r\n`),
      expected: 431,
    },
    {
      label: "3,000 headers",
      bytes: line(`${WEBHOOK}/instances`, Array.from({ length: 3000 }, (_, i) => `X-H${i}: v\r\n`).join("")),
      expected: 431,
    },
    {
      label: "8 KB continuation token",
      bytes: line(`${WEBHOOK}/instances`, `x-ms-continuation-token: ${"t".repeat(8 * 1024)}\r\n`),
      expected: 400,
    },
    { label: "garbage request line", bytes: Buffer.from("GARBAGE\r\n\r\n"), expected: 400 },
    {
      label: "NUL in the request line",
      bytes: Buffer.from("GET /a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n", "latin1"),
      expected: 400,
    },
    {
      label: "bad chunked body",
      bytes: Buffer.from(
        `POST ${WEBHOOK}/orchestrators/HelloSequence HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      ),
      expected: 400,
    },
    {
      label: "non-numeric Content-Length",
      bytes: Buffer.from(
        `POST ${WEBHOOK}/orchestrators/HelloSequence HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`,
      ),
      expected: 400,
    },
    {
      label: "both Content-Length and chunked",
      bytes: Buffer.from(
        `POST /api/orchestrators/HelloSequence HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      ),
      expected: 400,
    },
    {
      label: "header without a colon",
      bytes: Buffer.from(`GET ${WEBHOOK}/instances HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n`),
      expected: 400,
    },
    {
      label: "latin1 bytes in the path",
      bytes: Buffer.from(
        `GET ${WEBHOOK}/instances/caf\u00e9\u00ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        "latin1",
      ),
      expected: 400,
    },
  ];
}

describe("the host under generated bad and odd requests", () => {
  it(`answers ${REQUEST_COUNT} of them in time, without a 5xx or a leak (seed ${SEED})`, async () => {
    const requests = new RequestGenerator(new SeededRandom(SEED), known).generate(REQUEST_COUNT);
    const started = Date.now();
    const failures = await runAll(requests);
    console.log(`fuzz: ${requests.length} requests in ${Date.now() - started} ms, seed ${SEED}`);
    if (failures.length > 0) {
      const errors = host
        .output()
        .split("\n")
        .filter((line) => line.includes("[error]"));
      console.log(`the host's errors:\n${errors.slice(-20).join("\n").slice(0, 8000)}`);
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it("refuses malformed HTTP, oversized URLs and headers with a status that says so", async () => {
    const answers: string[] = [];
    for (const raw of rawRequests()) {
      const answer = await sendRaw(host.port, raw.bytes, ANSWER_LIMIT_MS);
      answers.push(
        `${raw.label}: ${answer.status}${problemWith({ method: "RAW" }, answer) ? ` (${problemWith({ method: "RAW" }, answer)})` : ""}`,
      );
    }
    expect(answers).toEqual(rawRequests().map((raw) => `${raw.label}: ${raw.expected}`));
  }, 60_000);

  it("still runs a normal orchestration to completion afterwards", async () => {
    const started = await http("POST", `${host.url}/api/orchestrators/HelloSequence`);
    expect(started.status).toBe(202);
    const status = await waitForEnd(
      (started.body as { statusQueryGetUri: string }).statusQueryGetUri,
      60_000,
    ).catch((error: Error) => {
      const worker = host
        .output()
        .split("\n")
        .filter((line) => line.startsWith("durable worker"));
      throw new Error(`${error.message}\nThe worker's last lines:\n${worker.slice(-10).join("\n")}`);
    });
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: ["Hello Tokyo!", "Hello Seattle!", "Hello London!"],
    });
  }, 90_000);
});
