/** `durable-ts/testing`: run durable functions in memory, with virtual time, in unit tests. */
export { DurableTestHub, type DurableTestHubOptions } from "./testing/durable-test-hub";
export { RegistryInvoker } from "./testing/registry-invoker";
export { MemoryTaskHub, VirtualClock } from "./providers/memory";
export { TaskHubClient } from "./engine/client";
