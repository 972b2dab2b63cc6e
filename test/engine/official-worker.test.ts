/** The engine driven by the REAL durable-functions@3.5.0 worker. */
import * as df from "durable-functions";
import { DurableTestHub } from "../../src/testing/durable-test-hub";
import { OfficialInvoker } from "../support/official-invoker";
import { describePatterns, registerPatterns } from "./patterns";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../support/official-invoker")>("../support/official-invoker")
    .interceptGeneric(),
);

registerPatterns(df);

describePatterns("the engine with the official durable-functions worker", () =>
  DurableTestHub.start({ invoker: new OfficialInvoker() }),
);
