/**
 * Values over the per-value limit are refused at the door: 413 from every route that takes one,
 * ValueTooLargeError from TaskHubClient, nothing stored. And ids the store cannot address are
 * refused with a 400.
 */
import { MAX_VALUE_LENGTH, ValueTooLargeError } from "../../../src/engine/value-limits";
import { JSON_HEADERS, useManagementHarness } from "./support/management-harness";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../../support/official-invoker")>("../../support/official-invoker")
    .interceptGeneric(),
);

const harness = useManagementHarness();

/** A JSON string value whose JSON text is exactly `length` characters long. */
function jsonTextOfLength(length: number): string {
  return JSON.stringify("x".repeat(length - 2));
}

const overLimit = jsonTextOfLength(MAX_VALUE_LENGTH + 1);

function expectRefusalNamingTheLimit(
  response: { status: number; json: unknown },
  kind: string,
  length: number,
): void {
  expect(response.status).toBe(413);
  const body = response.json as { Message: string; ExceptionMessage: string; ExceptionType: string };
  expect(body.Message).toBe(`The ${kind} is over the limit of ${MAX_VALUE_LENGTH} characters.`);
  expect(body.ExceptionType).toBe("ValueTooLargeError");
  expect(body.ExceptionMessage).toContain(`${length.toLocaleString("en-US")} characters long`);
  expect(body.ExceptionMessage).toContain(`limited to ${MAX_VALUE_LENGTH.toLocaleString("en-US")}`);
}

describe("the per-value limit", () => {
  it("refuses a start input over the limit with 413 and starts nothing", async () => {
    const response = await harness().send("POST", "orchestrators/MgmtEcho/too-large", {
      body: overLimit,
      headers: JSON_HEADERS,
    });

    expectRefusalNamingTheLimit(response, "start input", overLimit.length);
    expect(await harness().client.getInstance("too-large")).toBeUndefined();
  });

  it("takes a start input of exactly the limit", async () => {
    const response = await harness().send("POST", "orchestrators/MgmtEcho/at-limit", {
      body: jsonTextOfLength(MAX_VALUE_LENGTH),
      headers: JSON_HEADERS,
    });

    expect(response.status).toBe(202);
    const state = await harness().completed("at-limit");
    expect(state.runtimeStatus).toBe("Completed");
    expect(state.output?.length).toBe(MAX_VALUE_LENGTH);
  });

  it("refuses event data over the limit with 413 and the instance keeps waiting", async () => {
    await harness().send("POST", "orchestrators/MgmtApproval/waits-for-event");
    await harness().reaches("waits-for-event", "Running");

    const response = await harness().send("POST", "instances/waits-for-event/raiseEvent/Approval", {
      body: overLimit,
      headers: JSON_HEADERS,
    });

    expectRefusalNamingTheLimit(response, "event data", overLimit.length);
    const small = await harness().send("POST", "instances/waits-for-event/raiseEvent/Approval", {
      body: "true",
      headers: JSON_HEADERS,
    });
    expect(small.status).toBe(202);
    expect((await harness().completed("waits-for-event")).output).toBe('{"approval":true}');
  });

  it("refuses an entity operation input over the limit with 413, JSON or text", async () => {
    const json = await harness().send("POST", "entities/MgmtRecorder/big?op=set", {
      body: overLimit,
      headers: JSON_HEADERS,
    });
    expectRefusalNamingTheLimit(json, "entity operation input", overLimit.length);

    // A text body becomes a JSON string: two quotes longer.
    const text = await harness().send("POST", "entities/MgmtRecorder/big?op=set", {
      body: "y".repeat(MAX_VALUE_LENGTH - 1),
      headers: { "Content-Type": "text/plain" },
    });
    expectRefusalNamingTheLimit(text, "entity operation input", MAX_VALUE_LENGTH + 1);
    expect((await harness().send("GET", "entities/MgmtRecorder/big")).status).toBe(404);
  });

  it("is enforced by TaskHubClient for every value a client hands over", async () => {
    const client = harness().client;
    await harness().send("POST", "orchestrators/MgmtApproval/client-limits");
    await harness().reaches("client-limits", "Running");
    const tooLong = "r".repeat(MAX_VALUE_LENGTH + 1);

    await expect(client.startNew("MgmtEcho", { input: overLimit })).rejects.toThrow(ValueTooLargeError);
    await expect(client.raiseEvent("client-limits", "Approval", overLimit)).rejects.toThrow(
      ValueTooLargeError,
    );
    await expect(
      client.entities.signal({ name: "MgmtRecorder", key: "k" }, "set", overLimit),
    ).rejects.toThrow(ValueTooLargeError);
    for (const operation of ["terminate", "suspend", "resume", "rewind"] as const) {
      await expect(client[operation]("client-limits", tooLong)).rejects.toMatchObject({
        name: "ValueTooLargeError",
        kind: `${operation} reason`,
        length: MAX_VALUE_LENGTH + 1,
      });
    }
    expect((await client.getInstance("client-limits"))?.runtimeStatus).toBe("Running");
    await client.terminate("client-limits", "done");
  });
});

describe("ids the store cannot address", () => {
  it("refuses an instance id or entity key holding a lone surrogate", async () => {
    const client = harness().client;
    await expect(client.startNew("MgmtEcho", { instanceId: "lone-\ud800" })).rejects.toThrow(
      /lone surrogate/,
    );
    await expect(
      client.entities.signal({ name: "MgmtRecorder", key: "k\udc00" }, "set", "1"),
    ).rejects.toThrow(/The entity key .* lone surrogate/);
  });
});
