import { createServer, request } from "node:http";
import { StorageOperationCounter } from "../../../src/host/diagnostics/storage-operations";

describe("StorageOperationCounter", () => {
  const endpoints = {
    blob: "http://127.0.0.1:10000/devstoreaccount1",
    queue: "http://127.0.0.1:10001/devstoreaccount1",
    table: "http://127.0.0.1:10002/devstoreaccount1",
  };

  it("classifies queue, table and blob requests by method and path", () => {
    const counter = new StorageOperationCounter(endpoints);
    const queue = "http://127.0.0.1:10001";
    const table = "http://127.0.0.1:10002";
    counter.observe("POST", queue, "/devstoreaccount1/hub-control-00/messages?visibilitytimeout=0");
    counter.observe("GET", queue, "/devstoreaccount1/hub-control-00/messages?numofmessages=32");
    counter.observe("GET", queue, "/devstoreaccount1/hub-control-00/messages?peekonly=true");
    counter.observe("DELETE", queue, "/devstoreaccount1/hub-control-00/messages/abc?popreceipt=x");
    counter.observe("PUT", queue, "/devstoreaccount1/hub-control-00/messages/abc?popreceipt=x");
    counter.observe("PUT", queue, "/devstoreaccount1/hub-control-00");
    counter.observe("POST", table, "/devstoreaccount1/$batch");
    counter.observe("GET", table, "/devstoreaccount1/HubInstances(PartitionKey='a',RowKey='')");
    counter.observe("GET", table, "/devstoreaccount1/HubHistory()?$filter=PartitionKey%20eq%20'a'");
    counter.observe("PUT", table, "/devstoreaccount1/HubInstances(PartitionKey='a',RowKey='')");
    counter.observe("POST", table, "/devstoreaccount1/HubInstances");
    counter.observe("POST", table, "/devstoreaccount1/Tables");
    counter.observe("GET", "http://127.0.0.1:10000", "/devstoreaccount1/hub-largemessages/x.json.gz");
    counter.observe("PUT", "http://127.0.0.1:10000", "/devstoreaccount1/hub-largemessages/x.json.gz");
    // Not the account: another service on the machine.
    counter.observe("GET", "http://127.0.0.1:7071", "/api/hello");
    expect(counter.snapshot()).toEqual({
      "queue.send": 1,
      "queue.receive": 1,
      "queue.peek": 1,
      "queue.delete": 1,
      "queue.update": 1,
      "queue.management": 1,
      "table.transaction": 1,
      "table.point-read": 1,
      "table.query": 1,
      "table.upsert": 1,
      "table.insert": 1,
      "table.management": 1,
      "blob.read": 1,
      "blob.write": 1,
    });
  });

  it("counts and times requests made through node:http while started, and none after stop", async () => {
    const server = createServer((_, response) => setTimeout(() => response.end("{}"), 30));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const counter = new StorageOperationCounter({ ...endpoints, queue: `http://127.0.0.1:${port}/acct` });
    counter.start();
    await fetchWithNodeHttp(`http://127.0.0.1:${port}/acct/q/messages`, "POST");
    counter.stop();
    await fetchWithNodeHttp(`http://127.0.0.1:${port}/acct/q/messages`, "POST");
    server.close();
    expect(counter.snapshot()).toEqual({ "queue.send": 1 });
    // The one request counted took the server's 30 ms, and its time is its kind's.
    const times = counter.timesSnapshot();
    expect(Object.keys(times)).toEqual(["queue.send"]);
    expect(times["queue.send"]).toBeGreaterThanOrEqual(25);
    expect(times["queue.send"]).toBeLessThan(1000);
  });
});

/** The storage SDKs use node:http, which is what the counter listens to (fetch would not be seen). */
async function fetchWithNodeHttp(url: string, method: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const req = request(url, { method }, (response) => {
      response.resume();
      response.on("end", resolve);
    });
    req.on("error", reject);
    req.end();
  });
}
