/** The engine driven by our own SDK: the same pattern suite as with the official worker. */
import * as df from "../../src";
import { DurableTestHub } from "../../src/testing/durable-test-hub";
import { describePatterns, registerPatterns } from "./patterns";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../support/official-invoker")>("../support/official-invoker")
    .interceptGeneric(),
);

registerPatterns(df as unknown as Parameters<typeof registerPatterns>[0]);

describePatterns("the engine with the durable-ts SDK", () => DurableTestHub.start());
