/**
 * R12–R14 over real HTTP: signalling entities (the op, the body as input, DELETE), reading their
 * state, listing them with filters and paging, and the 400s and 404s of each route.
 */
import type { EntityListItemBody } from "../../../src/protocol/status";
import type { RecorderState } from "./support/management-functions";
import { JSON_HEADERS, useManagementHarness, type ApiResponse } from "./support/management-harness";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../../support/official-invoker")>("../../support/official-invoker")
    .interceptGeneric(),
);

const harness = useManagementHarness();

const json = JSON_HEADERS;

function signal(key: string, query = "", init: { body?: string; headers?: Record<string, string> } = {}) {
  return harness().send("POST", `entities/MgmtRecorder/${key}${query}`, init);
}

function recorded(key: string, count = 1): Promise<RecorderState> {
  return harness().entityState<RecorderState>("MgmtRecorder", key, (state) => state.count >= count);
}

function items(response: ApiResponse): EntityListItemBody[] {
  return response.json as EntityListItemBody[];
}

describe("POST entities/{name}/{key} (R12)", () => {
  it("signals the op with the JSON body as its input, and answers 202 with no body", async () => {
    const response = await signal("json", "?op=set", { body: '{"a": [1, 2]}', headers: json });

    expect(response.status).toBe(202);
    expect(response.text).toBe("");
    expect(response.headers["content-type"]).toBeUndefined();
    expect(await recorded("json")).toEqual({ operation: "set", input: { a: [1, 2] }, count: 1 });
  });

  it("signals the operation '' when op is left out", async () => {
    expect((await signal("no-op", "", { body: "5", headers: json })).status).toBe(202);

    expect(await recorded("no-op")).toEqual({ operation: "", input: 5, count: 1 });
  });

  it("signals no input when there is no body, whatever the Content-Type", async () => {
    expect((await signal("no-body", "?op=touch", { headers: json })).status).toBe(202);

    expect(await recorded("no-body")).toEqual({ operation: "touch", input: null, count: 1 });
  });

  it("takes a body of another media type as a string input, as sent", async () => {
    const text = " plain {not json} ";
    const response = await signal("text", "?op=note", {
      body: text,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });

    expect(response.status).toBe(202);
    expect(await recorded("text")).toEqual({ operation: "note", input: text, count: 1 });
  });

  it("processes the signals of one entity in the order they were sent", async () => {
    for (const op of ["first", "second", "third"]) {
      expect((await signal("ordered", `?op=${op}`, { body: `"${op}"`, headers: json })).status).toBe(202);
    }

    expect(await recorded("ordered", 3)).toEqual({ operation: "third", input: "third", count: 3 });
  });

  it("answers malformed JSON with 400 'Could not parse JSON content', and signals nothing", async () => {
    const response = await signal("bad-json", "?op=set", { body: "{oops", headers: json });

    expect(response.status).toBe(400);
    expect(response.json).toEqual({ Message: expect.stringMatching(/^Could not parse JSON content: .+/) });
    expect((await signal("bad-json", "?op=set", { body: "1", headers: json })).status).toBe(202);
    expect(await recorded("bad-json")).toEqual({ operation: "set", input: 1, count: 1 });
  });

  it("sends the operation 'delete' for DELETE, which the entity uses to delete itself", async () => {
    await signal("to-delete", "?op=set", { body: "1", headers: json });
    await recorded("to-delete");

    const response = await harness().send("DELETE", "entities/MgmtRecorder/to-delete?op=ignored");

    expect(response.status).toBe(202);
    expect(response.text).toBe("");
    await harness().entityGone("MgmtRecorder", "to-delete");
  });

  it("decodes the name and key from the path", async () => {
    expect((await harness().send("POST", "entities/MgmtRecorder/key%20one%40two?op=set")).status).toBe(202);

    expect(await recorded("key one@two")).toMatchObject({ operation: "set" });
  });
});

describe("an invalid entity name or key", () => {
  it.each([
    ["a key with '/'", "MgmtRecorder/a%2Fb", "The entity key 'a/b' contains a character that is not allowed"],
    [
      "a key with '\\'",
      "MgmtRecorder/a%5Cb",
      "The entity key 'a\\b' contains a character that is not allowed",
    ],
    ["a key with '#'", "MgmtRecorder/a%23b", "The entity key 'a#b' contains a character that is not allowed"],
    ["a key with '?'", "MgmtRecorder/a%3Fb", "The entity key 'a?b' contains a character that is not allowed"],
    ["a key with a control character", "MgmtRecorder/a%01b", "contains a character that is not allowed"],
    ["a name with '@'", "Mgmt%40Recorder/k", "The entity name must not contain '@'."],
    ["a name with '#'", "Mgmt%23Recorder/k", "The entity name 'Mgmt#Recorder' contains a character"],
    ["a blank name", "%20/k", "The entity name must not be empty."],
  ])("is answered 400 with the reason, on each route: %s", async (_label, path, reason) => {
    for (const method of ["POST", "DELETE", "GET"]) {
      const response = await harness().send(method, `entities/${path}?op=set`, { body: undefined });

      expect(`${method} ${response.status}`).toBe(`${method} 400`);
      expect(response.json).toEqual({ Message: expect.stringContaining(reason) });
    }
  });

  it("is refused before the body is read", async () => {
    const response = await harness().send("POST", "entities/MgmtRecorder/a%2Fb", {
      body: "{oops",
      headers: json,
    });

    expect(response.json).toEqual({ Message: expect.stringContaining("The entity key 'a/b'") });
  });
});

describe("GET entities/{name}/{key} (R13)", () => {
  beforeAll(async () => {
    await signal("read", "?op=set", { body: '{"n": 1}', headers: json });
    await recorded("read");
  });

  it("answers 200 with the state itself", async () => {
    const response = await harness().send("GET", "entities/MgmtRecorder/read");

    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.json).toEqual({ operation: "set", input: { n: 1 }, count: 1 });
  });

  it("matches the name ignoring case, and the key exactly", async () => {
    expect((await harness().send("GET", "entities/mgmtrecorder/read")).status).toBe(200);
    expect((await harness().send("GET", "entities/MGMTRECORDER/read")).status).toBe(200);
    expect((await harness().send("GET", "entities/MgmtRecorder/READ")).status).toBe(404);
  });

  it("answers 404 with an empty body for an entity that does not exist", async () => {
    const unknownKey = await harness().send("GET", "entities/MgmtRecorder/nobody");
    const unknownName = await harness().send("GET", "entities/NoSuchEntity/read");

    for (const response of [unknownKey, unknownName]) {
      expect(response.status).toBe(404);
      expect(response.text).toBe("");
    }
  });

  it("reads '$' as the empty key, which no entity can have on this host: 404", async () => {
    const response = await harness().send("GET", "entities/MgmtRecorder/$");

    expect(response.status).toBe(404);
    expect(response.text).toBe("");
  });

  it("answers 404 once the entity has deleted itself", async () => {
    await signal("read-deleted", "?op=set", { body: "1", headers: json });
    await recorded("read-deleted");
    await harness().send("DELETE", "entities/MgmtRecorder/read-deleted");

    await harness().entityGone("MgmtRecorder", "read-deleted");
    expect((await harness().send("GET", "entities/MgmtRecorder/read-deleted")).text).toBe("");
  });
});

describe("GET entities/{name?} (R14)", () => {
  const keys = ["flag-0", "flag-1", "flag-2", "flag-3", "flag-4"];
  let before: string;
  let after: string;

  beforeAll(async () => {
    before = new Date(Date.now() - 1000).toISOString();
    for (const [i, key] of keys.entries()) {
      const response = await harness().send("POST", `entities/MgmtFlag/${key}?op=set`, {
        body: JSON.stringify({ i }),
        headers: json,
      });
      expect(response.status).toBe(202);
    }
    for (const key of keys) await harness().entityState("MgmtFlag", key);
    await signal("listed", "?op=set", { body: "1", headers: json });
    await recorded("listed");
    after = new Date(Date.now() + 1000).toISOString();
  });

  it("lists the entities of a name, their names lower-case, without state unless asked", async () => {
    const response = await harness().send("GET", "entities/MgmtFlag");

    expect(response.status).toBe(200);
    expect(response.headers["x-ms-continuation-token"]).toBeUndefined();
    expect(items(response).map((item) => item.entityId)).toEqual(
      keys.map((key) => ({ name: "mgmtflag", key })),
    );
    for (const item of items(response)) {
      expect(Object.keys(item)).toEqual(["entityId", "lastOperationTime", "state"]);
      expect(item.state).toBeNull();
      expect(Date.parse(item.lastOperationTime)).toBeGreaterThanOrEqual(Date.parse(before));
      expect(Date.parse(item.lastOperationTime)).toBeLessThanOrEqual(Date.parse(after));
    }
  });

  it("includes each state, as JSON, with fetchState=true", async () => {
    const response = await harness().send("GET", "entities/mgmtflag/?fetchState=TRUE");

    expect(items(response).map((item) => item.state)).toEqual(keys.map((_key, i) => ({ i })));
  });

  it("lists every entity without a name", async () => {
    const response = await harness().send("GET", "entities/?fetchState=true");
    const ids = items(response).map((item) => `${item.entityId.name}/${item.entityId.key}`);

    expect(response.status).toBe(200);
    expect(ids).toEqual(
      expect.arrayContaining(["mgmtflag/flag-0", "mgmtflag/flag-4", "mgmtrecorder/listed"]),
    );
    expect(items(response).find((item) => item.entityId.key === "listed")?.state).toMatchObject({ count: 1 });
  });

  it("leaves out entities that have deleted themselves", async () => {
    await signal("list-deleted", "?op=set", { body: "1", headers: json });
    await recorded("list-deleted");
    await harness().send("DELETE", "entities/MgmtRecorder/list-deleted");
    await harness().entityGone("MgmtRecorder", "list-deleted");

    const response = await harness().send("GET", "entities/MgmtRecorder");

    expect(items(response).map((item) => item.entityId.key)).not.toContain("list-deleted");
  });

  it("pages with top and x-ms-continuation-token, and leaves the header off the last page", async () => {
    const pages: ApiResponse[] = [];
    let token: string | undefined;
    do {
      const response = await harness().send("GET", "entities/MgmtFlag?top=2&fetchState=true", {
        headers: token ? { "x-ms-continuation-token": token } : {},
      });
      expect(response.status).toBe(200);
      pages.push(response);
      token = response.headers["x-ms-continuation-token"];
    } while (token && pages.length < 10);

    expect(pages.map((page) => items(page).length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => page.headers["x-ms-continuation-token"] !== undefined)).toEqual([
      true,
      true,
      false,
    ]);
    expect(pages.flatMap(items).map((item) => item.entityId.key)).toEqual(keys);
    expect(pages.flatMap(items).map((item) => item.state)).toEqual(keys.map((_key, i) => ({ i })));
  });

  it("filters on the time of the last operation", async () => {
    const list = async (query: string): Promise<string[]> =>
      items(await harness().send("GET", `entities/MgmtFlag?${query}`)).map((item) => item.entityId.key);
    const future = new Date(Date.now() + 60_000).toISOString();
    const past = new Date(Date.parse(before) - 60_000).toISOString();

    expect(await list(`lastOperationTimeFrom=${before}&lastOperationTimeTo=${future}`)).toEqual(keys);
    expect(await list(`lastOperationTimeFrom=${future}`)).toEqual([]);
    expect(await list(`lastOperationTimeTo=${past}`)).toEqual([]);
  });

  it.each([
    ["top=0", "Query parameter 'top' must be a whole number from 1 to 1000, not '0'."],
    ["top=1001", "Query parameter 'top' must be a whole number from 1 to 1000, not '1001'."],
    ["fetchState=maybe", "Query parameter 'fetchState' must be true or false, not 'maybe'."],
    ["lastOperationTimeFrom=yesterday", "Query parameter 'lastOperationTimeFrom' must be a date"],
    ["lastOperationTimeTo=%2B275760-09-13T00:00:00Z", "must be a date from 0001-01-01 to 9999-12-31"],
  ])("answers 400 for %s", async (query, message) => {
    const response = await harness().send("GET", `entities/MgmtFlag?${query}`);

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ Message: expect.stringContaining(message) });
  });

  it("refuses a name that would match other entities", async () => {
    const response = await harness().send("GET", "entities/mgmtflag%40flag-");

    expect(response.status).toBe(400);
    expect(response.json).toEqual({ Message: "The entity name must not contain '@'." });
  });
});

describe("routing", () => {
  it.each([
    ["PUT", "entities/MgmtRecorder/k"],
    ["POST", "entities/MgmtRecorder"],
    ["DELETE", "entities/MgmtRecorder"],
    ["POST", "entities/"],
    ["GET", "entities/MgmtRecorder/k/extra"],
    ["GET", "Entities/MgmtRecorder/k"],
  ])("answers %s %s with 404 and no body", async (method, path) => {
    const response = await harness().send(method, path);

    expect(response.status).toBe(404);
    expect(response.text).toBe("");
  });

  it("serves its own task hub only", async () => {
    const response = await signal("other-hub", "?op=set&taskHub=OtherHub");

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ Message: expect.stringContaining("'OtherHub'") });
  });
});
