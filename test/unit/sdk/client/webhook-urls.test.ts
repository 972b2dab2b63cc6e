/** isWebhookUrl decides like validator's isURL with the options durable-functions uses. */
import { createRequire } from "node:module";
import { isWebhookUrl } from "../../../../src/sdk/client/webhook-urls";

type IsUrl = (value: string, options: Record<string, unknown>) => boolean;
const validator = createRequire(require.resolve("durable-functions"))("validator") as { isURL: IsUrl };
const options = {
  protocols: ["http", "https"],
  require_tld: false,
  require_protocol: true,
  require_valid_protocol: true,
};

const samples = [
  "INSTANCEID",
  "",
  "http://localhost:7071/runtime/webhooks/durabletask/instances/INSTANCEID?taskHub=Hub&connection=Storage&code=XYZ",
  "http://localhost:7071/runtime/webhooks/durabletask/instances/INSTANCEID/raiseEvent/{eventName}?taskHub=Hub",
  "http://localhost:7071/runtime/webhooks/durabletask/orchestrators/{functionName}[/{instanceId}]?code=XYZ",
  "http://localhost:7071/runtime/webhooks/durabletask/orchestrators/{functionName}[/{instanceId}]?",
  "https://myapp.azurewebsites.net/runtime/webhooks/durabletask/instances/INSTANCEID?code=a/b+c==",
  "HTTPS://MyApp.AzureWebsites.net/x",
  "http://127.0.0.1:7071/x",
  "http://0.0.0.0:7071/x",
  "http://[::1]:7071/a",
  "http://[::1]/a",
  "http://user:pass@host.example.com:8080/a",
  "http://my_host:7071/x",
  "http://localhost/x y",
  "http://localhost:7071/instances/ab<c>",
  "http://localhost:0/x",
  "http://localhost:65536/x",
  "http://localhost:65535/x",
  "http://localhost./x",
  "http://-bad.example.com/x",
  "http://1.2.3/x",
  "http://host.123/x",
  "ftp://example.com/x",
  "example.com/x",
  "http://",
  "http:///path",
  "http://host:/x",
  `http://example.com/${"a".repeat(2100)}`,
];

describe("isWebhookUrl", () => {
  it.each(samples.map((sample) => [sample.slice(0, 90), sample]))("%s", (_label, sample) => {
    expect(isWebhookUrl(sample)).toBe(validator.isURL(sample, options));
  });

  it("refuses values that are not strings", () => {
    expect(isWebhookUrl(undefined)).toBe(false);
    expect(isWebhookUrl(42)).toBe(false);
  });
});
