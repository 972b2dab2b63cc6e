import { availableParallelism } from "node:os";
import { parseTimeSpanMs, readAzureStorageSettings } from "../../../src/providers/azure-storage/settings";

const hostJson = (durableTask: Record<string, unknown>): unknown => ({
  version: "2.0",
  extensions: { durableTask },
});

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("readAzureStorageSettings", () => {
  it("uses Durable Functions' dedicated-plan defaults when nothing is configured", () => {
    const perCore = 10 * availableParallelism();
    const expected = {
      hubName: "TestHubName",
      connectionName: "AzureWebJobsStorage",
      partitionCount: 4,
      controlQueueBatchSize: 32,
      controlQueueBufferThreshold: 256,
      controlQueueVisibilityTimeoutMs: 5 * 60_000,
      workItemQueueVisibilityTimeoutMs: 5 * 60_000,
      maxQueuePollingIntervalMs: 30_000,
      maxConcurrentActivityFunctions: perCore,
      maxConcurrentOrchestratorFunctions: perCore,
      maxEntityOperationBatchSize: 5000,
      maxDequeueCount: 20,
    };
    expect(readAzureStorageSettings({ version: "2.0" }, {})).toEqual(expected);
    expect(readAzureStorageSettings(hostJson({}), {})).toEqual(expected);
    expect(readAzureStorageSettings({}, {})).toEqual(expected);
  });

  it("defaults the hub name to the sanitized site name", () => {
    expect(readAzureStorageSettings({}, { WEBSITE_SITE_NAME: "my-app-01" }).hubName).toBe("myapp01");
    expect(readAzureStorageSettings({}, { WEBSITE_SITE_NAME: "1app" }).hubName).toBe("t1app");
  });

  it("reads every setting", () => {
    const settings = readAzureStorageSettings(
      hostJson({
        hubName: "MyHub",
        maxConcurrentActivityFunctions: 7,
        maxConcurrentOrchestratorFunctions: 3,
        maxEntityOperationBatchSize: 50,
        storageProvider: {
          connectionName: "MyStorage",
          partitionCount: 16,
          controlQueueBatchSize: 10,
          controlQueueBufferThreshold: 1000,
          controlQueueVisibilityTimeout: "00:02:00",
          workItemQueueVisibilityTimeout: "00:10:00",
          maxQueuePollingInterval: "00:00:05",
          poisonMessageThreshold: 3,
        },
      }),
      {},
    );
    expect(settings).toEqual({
      hubName: "MyHub",
      connectionName: "MyStorage",
      partitionCount: 16,
      controlQueueBatchSize: 10,
      controlQueueBufferThreshold: 1000,
      controlQueueVisibilityTimeoutMs: 120_000,
      workItemQueueVisibilityTimeoutMs: 600_000,
      maxQueuePollingIntervalMs: 5_000,
      maxConcurrentActivityFunctions: 7,
      maxConcurrentOrchestratorFunctions: 3,
      maxEntityOperationBatchSize: 50,
      maxDequeueCount: 3,
    });
  });

  it("matches names without regard to case, as .NET binding does", () => {
    const settings = readAzureStorageSettings(
      {
        Extensions: {
          DurableTask: {
            HubName: "CaseHub",
            StorageProvider: { PARTITIONCOUNT: 2, MaxQueuePollingInterval: "00:00:01" },
          },
        },
      },
      {},
    );
    expect(settings).toMatchObject({
      hubName: "CaseHub",
      partitionCount: 2,
      maxQueuePollingIntervalMs: 1000,
    });
  });

  it("accepts numbers written as strings, as the .NET binder converts them", () => {
    expect(
      readAzureStorageSettings(hostJson({ storageProvider: { partitionCount: "8" } }), {}).partitionCount,
    ).toBe(8);
  });

  it("takes the v2 connectionStringName, with connectionName winning when both are set", () => {
    const v2 = hostJson({ storageProvider: { connectionStringName: "Old" } });
    expect(readAzureStorageSettings(v2, {}).connectionName).toBe("Old");
    const both = hostJson({ storageProvider: { connectionStringName: "Old", connectionName: "New" } });
    expect(readAzureStorageSettings(both, {}).connectionName).toBe("New");
  });

  describe("hubName", () => {
    it("substitutes %AppSetting% references from the environment", () => {
      expect(
        readAzureStorageSettings(hostJson({ hubName: "%MyTaskHub%" }), { MyTaskHub: "FromEnv" }).hubName,
      ).toBe("FromEnv");
      expect(readAzureStorageSettings(hostJson({ hubName: "Hub%Slot%x" }), { slot: "Staging" }).hubName).toBe(
        "HubStagingx",
      );
    });

    it("reports an app setting that is not set", () => {
      expect(errorOf(() => readAzureStorageSettings(hostJson({ hubName: "%Missing%" }), {}))).toContain(
        "extensions.durableTask.hubName refers to app setting(s) Missing, which are not set",
      );
    });

    it("validates a configured name instead of sanitizing it", () => {
      const message = errorOf(() => readAzureStorageSettings(hostJson({ hubName: "my-hub" }), {}));
      expect(message).toContain("extensions.durableTask.hubName: Invalid task hub name 'my-hub'");
      expect(errorOf(() => readAzureStorageSettings(hostJson({ hubName: "%H%" }), { H: "1hub" }))).toContain(
        "Invalid task hub name '1hub'",
      );
    });
  });

  describe("TimeSpans", () => {
    it.each([
      ["00:00:30", 30_000],
      ["00:05:00", 300_000],
      ["01:00:00", 3_600_000],
      ["1.02:03:04", 93_784_000],
      ["00:00:01.5", 1_500],
      ["00:00:00.250", 250],
      ["00:00:00.0010000", 1],
      ["00:01", 60_000],
      [" 00:00:30 ", 30_000],
      ["-00:00:01", -1_000],
    ])("parses %s", (text, ms) => {
      expect(parseTimeSpanMs(text)).toBe(ms);
    });

    it.each(["30", "00:60:00", "24:00:00", "00:00:60", "5m", "", "00:00:00.12345678", "1.2.3"])(
      "refuses %j",
      (text) => {
        expect(parseTimeSpanMs(text)).toBeUndefined();
      },
    );
  });

  describe("errors", () => {
    it("lists every invalid setting by its host.json path in one Error", () => {
      const message = errorOf(() =>
        readAzureStorageSettings(
          hostJson({
            maxConcurrentActivityFunctions: 0,
            maxConcurrentOrchestratorFunctions: 1.5,
            storageProvider: {
              connectionName: "",
              partitionCount: 40,
              controlQueueBatchSize: 33,
              controlQueueBufferThreshold: "many",
              controlQueueVisibilityTimeout: "00:00:30",
              workItemQueueVisibilityTimeout: 300,
              maxQueuePollingInterval: "00:00:00",
              poisonMessageThreshold: -1,
            },
          }),
          {},
        ),
      );
      expect(message.split("\n")).toEqual([
        "Invalid host.json settings:",
        '  - extensions.durableTask.storageProvider.connectionName must be a non-empty string, got ""',
        "  - extensions.durableTask.storageProvider.partitionCount must be an integer from 1 to 16, got 40",
        "  - extensions.durableTask.storageProvider.controlQueueBatchSize must be an integer from 1 to 32, got 33",
        '  - extensions.durableTask.storageProvider.controlQueueBufferThreshold must be an integer from 1 to 1000, got "many"',
        '  - extensions.durableTask.storageProvider.controlQueueVisibilityTimeout must be from 00:01:00 to 01:00:00, got "00:00:30"',
        '  - extensions.durableTask.storageProvider.workItemQueueVisibilityTimeout must be a TimeSpan such as "00:05:00" (hh:mm:ss, d.hh:mm:ss or hh:mm:ss.fff), got 300',
        '  - extensions.durableTask.storageProvider.maxQueuePollingInterval must be from 00:00:00.001 to 1.00:00:00, got "00:00:00"',
        "  - extensions.durableTask.storageProvider.poisonMessageThreshold must be an integer of at least 1, got -1",
        "  - extensions.durableTask.maxConcurrentActivityFunctions must be an integer of at least 1, got 0",
        "  - extensions.durableTask.maxConcurrentOrchestratorFunctions must be an integer of at least 1, got 1.5",
      ]);
    });

    it("rejects sections that are not objects", () => {
      expect(errorOf(() => readAzureStorageSettings(hostJson({ storageProvider: "x" }), {}))).toContain(
        'extensions.durableTask.storageProvider must be an object, got "x"',
      );
      expect(errorOf(() => readAzureStorageSettings([], {}))).toContain("host.json must be an object");
    });

    it("rejects one setting spelled twice in different case", () => {
      expect(
        errorOf(() =>
          readAzureStorageSettings(
            hostJson({ storageProvider: { partitionCount: 2, PartitionCount: 3 } }),
            {},
          ),
        ),
      ).toContain(
        'extensions.durableTask.storageProvider sets "partitionCount" and "PartitionCount"; keep one',
      );
    });
  });
});
