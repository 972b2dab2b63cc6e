/** The time source a task hub runs on. The memory provider swaps in a virtual clock that tests advance. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
