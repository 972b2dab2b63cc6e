import { MemoryTaskHub } from "../../src/providers/memory";
import { describeTaskHubContract } from "./task-hub-contract";

describeTaskHubContract("memory", async () => new MemoryTaskHub());
