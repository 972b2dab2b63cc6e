/** Why an orchestration's use of entity locks was refused. */
export const LockingRulesViolationMessages = {
  NestedSection: "Cannot acquire more locks when already holding some locks.",
  SubOrchestrationInSection: "Cannot invoke sub-orchestrations from within a critical section.",
  CallUnlockedEntity:
    "Cannot call an entity from within a critical section unless it is one of the locked entities.",
  ParallelSameEntity: "Cannot call the same entity multiple times in parallel within a critical section.",
  SignalLockedEntity:
    "Cannot signal an entity from within a critical section if the entity is one of the locked entities.",
} as const;

/** Thrown inside an orchestration that breaks a rule of critical sections (see `context.df.lock`). */
export class LockingRulesViolationError extends Error {
  static readonly code = "LOCKING_RULES_VIOLATION";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = "LockingRulesViolationError";
    if (options && "cause" in options) {
      this.cause = options.cause;
    }
  }
}
