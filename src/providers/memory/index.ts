export { MemoryTaskHub, type MemoryTaskHubOptions } from "./memory-task-hub";
export { VirtualClock, isObservableClock, type ObservableClock } from "./virtual-clock";
