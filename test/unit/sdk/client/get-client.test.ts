/**
 * getClient: finding the durableClient binding, validating it, and the local rewrite of webhook
 * URLs when the app does not run in Azure (protocol §2.1), compared with durable-functions.
 */
import { InvocationContext } from "@azure/functions";
import * as official from "durable-functions";
import * as ours from "../../../../src";
import { contextWithBinding, officialClient, ourClient } from "../../../support/client-comparison";
import { durableClientBinding } from "../../../support/durable-client-binding";

const savedHostName = process.env.WEBSITE_HOSTNAME;

afterEach(() => {
  if (savedHostName === undefined) {
    delete process.env.WEBSITE_HOSTNAME;
  } else {
    process.env.WEBSITE_HOSTNAME = savedHostName;
  }
});

function setHostName(value: string | undefined): void {
  if (value === undefined) {
    delete process.env.WEBSITE_HOSTNAME;
  } else {
    process.env.WEBSITE_HOSTNAME = value;
  }
}

function observable(client: official.DurableClient): unknown {
  return {
    hub: client.taskHubName,
    origins: client.uniqueWebhookOrigins,
    payload: client.createHttpManagementPayload("abc"),
  };
}

describe("getClient", () => {
  it.each([
    ["unset (local)", undefined],
    ["0.0.0.0 (local)", "0.0.0.0:7071"],
    ["a deployed host name", "myapp.azurewebsites.net"],
  ])("rewrites webhook origins like durable-functions when WEBSITE_HOSTNAME is %s", (_label, hostName) => {
    setHostName(hostName);
    const binding = durableClientBinding("https://myapp.azurewebsites.net");
    expect(observable(ourClient(binding))).toEqual(observable(officialClient(binding)));
  });

  it("rewrites to http://localhost:7071 locally but leaves rpcBaseUrl alone", () => {
    setHostName(undefined);
    const client = ourClient(durableClientBinding("https://myapp.azurewebsites.net:8443"));
    expect(client.uniqueWebhookOrigins).toEqual(["http://localhost:7071"]);
    expect(client.createHttpManagementPayload("abc").statusQueryGetUri).toBe(
      "http://localhost:7071/runtime/webhooks/durabletask/instances/abc?taskHub=TestHub&connection=Storage&code=XYZ",
    );
  });

  it("keeps values that are not URLs, and URLs whose origin is not spelt as written", () => {
    setHostName(undefined);
    const binding = durableClientBinding("http://MyHost:80");
    expect(observable(ourClient(binding))).toEqual(observable(officialClient(binding)));
  });

  it("accepts the Durable Functions v1 'orchestrationClient' input type", () => {
    const input = { type: "orchestrationClient", name: "client" };
    const binding = durableClientBinding("http://127.0.0.1:7071");
    expect(ours.getClient(contextWithBinding(input, binding)).taskHubName).toBe("TestHub");
  });

  it("fails like durable-functions without a durableClient input", () => {
    const context = new InvocationContext({ logHandler: () => undefined });
    expect(() => ours.getClient(context)).toThrow(errorOf(() => official.getClient(context)));
  });

  it.each([
    ["no value", undefined],
    ["a value without managementUrls", { taskHubName: "h", creationUrls: {} }],
    ["a number", 5],
  ])("fails like durable-functions for %s", (_label, value) => {
    const officialError = errorOf(() =>
      official.getClient(contextWithBinding(official.input.durableClient(), value)),
    );
    expect(() => ours.getClient(contextWithBinding(ours.input.durableClient(), value))).toThrow(
      officialError,
    );
  });

  it("also accepts the binding as JSON text (a host that does not parse it)", () => {
    const binding = durableClientBinding("http://127.0.0.1:7071");
    const client = ours.getClient(contextWithBinding(ours.input.durableClient(), JSON.stringify(binding)));
    expect(client.taskHubName).toBe("TestHub");
  });
});

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}
