/** The check-status payload and the durableClient binding payload (protocol §1.4.1, §2.1). */
import {
  checkStatusPayload,
  durableClientBindingPayload,
  httpManagementPayload,
  webhookBaseUrl,
} from "../../../src/host/management-api";

const location = {
  origin: "https://myapp.azurewebsites.net",
  taskHubName: "TestHub",
  connectionName: "Storage",
  code: "XYZ",
};

const webhook = "https://myapp.azurewebsites.net/runtime/webhooks/durabletask";

/** The binding of protocol §2.1 for `location`, with the given query suffix (the key). */
function expectedBinding(code: string): Record<string, unknown> {
  const instance = `${webhook}/instances/INSTANCEID`;
  const suffix = ["taskHub=TestHub", "connection=Storage", ...(code ? [code] : [])].join("&");
  return {
    taskHubName: "TestHub",
    connectionName: null,
    creationUrls: {
      createNewInstancePostUri: `${webhook}/orchestrators/{functionName}[/{instanceId}]?${code}`,
      createAndWaitOnNewInstancePostUri: `${webhook}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}${code ? `&${code}` : ""}`,
    },
    managementUrls: {
      id: "INSTANCEID",
      statusQueryGetUri: `${instance}?${suffix}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${suffix}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${suffix}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${suffix}`,
      purgeHistoryDeleteUri: `${instance}?${suffix}`,
      restartPostUri: `${instance}/restart?${suffix}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${suffix}`,
      resumePostUri: `${instance}/resume?reason={text}&${suffix}`,
    },
    baseUrl: webhook,
    requiredQueryStringParameters: code,
    rpcBaseUrl: `${webhook}/`,
    httpBaseUrl: null,
  };
}

describe("durableClientBindingPayload", () => {
  it("matches the extension's binding, with rpcBaseUrl on the webhook path", () => {
    const binding = durableClientBindingPayload(location);

    expect(binding).toEqual(expectedBinding("code=XYZ"));
    expect(Object.keys(binding)).toEqual([
      "taskHubName",
      "connectionName",
      "creationUrls",
      "managementUrls",
      "baseUrl",
      "requiredQueryStringParameters",
      "rpcBaseUrl",
      "httpBaseUrl",
    ]);
    expect(Object.keys(binding.managementUrls)).toEqual([
      "id",
      "statusQueryGetUri",
      "sendEventPostUri",
      "terminatePostUri",
      "rewindPostUri",
      "purgeHistoryDeleteUri",
      "restartPostUri",
      "suspendPostUri",
      "resumePostUri",
    ]);
  });

  it("without a key: no code anywhere, and a bare '?' on the start URL", () => {
    const binding = durableClientBindingPayload({ ...location, code: undefined });

    expect(binding).toEqual(expectedBinding(""));
    expect(binding.requiredQueryStringParameters).toBe("");
    expect(binding.creationUrls.createNewInstancePostUri).toMatch(/\[\/\{instanceId\}\]\?$/);
    expect(binding.creationUrls.createAndWaitOnNewInstancePostUri).toMatch(/\{intervalInSeconds\}$/);
  });

  it("points rpcBaseUrl at the loopback origin when given one, always with a trailing slash", () => {
    const binding = durableClientBindingPayload({
      ...location,
      rpcOrigin: "http://127.0.0.1:7071/",
      webhookPath: "/custom/path/",
    });

    expect(binding.rpcBaseUrl).toBe("http://127.0.0.1:7071/custom/path/");
    expect(binding.baseUrl).toBe("https://myapp.azurewebsites.net/custom/path");
    expect(binding.managementUrls.statusQueryGetUri).toBe(
      "https://myapp.azurewebsites.net/custom/path/instances/INSTANCEID?taskHub=TestHub&connection=Storage&code=XYZ",
    );
  });

  it("puts rpcBaseUrl on another path when given one, as the extension's /durabletask/ listener", () => {
    const binding = durableClientBindingPayload({
      ...location,
      rpcOrigin: "http://127.0.0.1:17071",
      rpcPath: "durabletask",
    });

    expect(binding.rpcBaseUrl).toBe("http://127.0.0.1:17071/durabletask/");
    expect(binding).toEqual({ ...expectedBinding("code=XYZ"), rpcBaseUrl: binding.rpcBaseUrl });
  });

  it("encodes the key, hub and connection in query values", () => {
    const binding = durableClientBindingPayload({ ...location, code: "a/b+c==", taskHubName: "Hub&1" });

    expect(binding.requiredQueryStringParameters).toBe("code=a%2Fb%2Bc%3D%3D");
    expect(binding.managementUrls.statusQueryGetUri).toContain(
      "?taskHub=Hub%261&connection=Storage&code=a%2Fb",
    );
  });
});

describe("checkStatusPayload", () => {
  it("has the eight keys of the 202 body, in order, with the id URL-encoded", () => {
    const payload = checkStatusPayload(location, "order 42/x");
    const instance = "https://myapp.azurewebsites.net/runtime/webhooks/durabletask/instances/order%2042%2Fx";
    const suffix = "taskHub=TestHub&connection=Storage&code=XYZ";

    expect(Object.entries(payload)).toEqual([
      ["id", "order 42/x"],
      ["statusQueryGetUri", `${instance}?${suffix}`],
      ["sendEventPostUri", `${instance}/raiseEvent/{eventName}?${suffix}`],
      ["terminatePostUri", `${instance}/terminate?reason={text}&${suffix}`],
      ["purgeHistoryDeleteUri", `${instance}?${suffix}`],
      ["restartPostUri", `${instance}/restart?${suffix}`],
      ["suspendPostUri", `${instance}/suspend?reason={text}&${suffix}`],
      ["resumePostUri", `${instance}/resume?reason={text}&${suffix}`],
    ]);
  });

  it("asks for a 500 on failure in statusQueryGetUri only, when requested", () => {
    const payload = checkStatusPayload(location, "abc", { returnInternalServerErrorOnFailure: true });

    expect(payload.statusQueryGetUri).toMatch(/&code=XYZ&returnInternalServerErrorOnFailure=true$/);
    expect(payload.purgeHistoryDeleteUri).not.toContain("returnInternalServerErrorOnFailure");
  });
});

describe("httpManagementPayload and webhookBaseUrl", () => {
  it("adds rewindPostUri after terminatePostUri", () => {
    const payload = httpManagementPayload(location, "abc");

    expect(payload.rewindPostUri).toBe(
      "https://myapp.azurewebsites.net/runtime/webhooks/durabletask/instances/abc/rewind?reason={text}&taskHub=TestHub&connection=Storage&code=XYZ",
    );
  });

  it("keeps only the origin of what it is given", () => {
    expect(webhookBaseUrl({ origin: "http://localhost:7071/api/ignored?x=1" })).toBe(
      "http://localhost:7071/runtime/webhooks/durabletask",
    );
  });
});
