/** Entities with the REAL durable-functions@3.5.0 worker, on the memory hub and on Azure Storage. */
import * as df from "durable-functions";
import { OfficialInvoker } from "../support/official-invoker";
import { azureStorageEngine, memoryEngine } from "./entity-engines";
import { describeEntityPatterns, registerEntityPatterns } from "./entity-patterns";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../support/official-invoker")>("../support/official-invoker")
    .interceptGeneric(),
);

registerEntityPatterns(df);

describeEntityPatterns(
  "entities with the official worker on the memory hub",
  () => memoryEngine(new OfficialInvoker()),
  {
    timeoutMs: 10_000,
  },
);
describeEntityPatterns(
  "entities with the official worker on Azure Storage",
  () => azureStorageEngine(new OfficialInvoker()),
  { timeoutMs: 60_000 },
);
