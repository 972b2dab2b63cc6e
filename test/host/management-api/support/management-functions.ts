/** The functions the management API tests drive, registered once through our SDK. */
import * as df from "../../../../src/index";
import type { EntityContext, OrchestrationContext } from "../../../../src/index";

/** What MgmtRecorder keeps: its last operation with the input it got, and how many it ran. */
export interface RecorderState {
  operation: string;
  input: unknown;
  count: number;
}

/** MgmtStep throws for steps named "fail…" until a test marks them recovered (to rewind). */
export const recoveredSteps = new Set<string>();

let registered = false;

export function registerManagementFunctions(): void {
  if (registered) return;
  registered = true;

  df.app.activity("MgmtSayHello", { handler: (name: string) => `Hello ${name}!` });
  df.app.activity("MgmtStep", {
    handler: (step: string) => {
      if (step.startsWith("fail") && !recoveredSteps.has(step)) throw new Error(`step ${step} failed`);
      return `${step} done`;
    },
  });

  df.app.orchestration("MgmtHello", function* (context: OrchestrationContext) {
    const greeting: string = yield context.df.callActivity("MgmtSayHello", context.df.getInput<string>());
    return greeting;
  });

  df.app.orchestration("MgmtApproval", function* (context: OrchestrationContext) {
    context.df.setCustomStatus({ stage: "waiting" });
    const approval: unknown = yield context.df.waitForExternalEvent("Approval");
    context.df.setCustomStatus({ stage: "approved" });
    return { approval };
  });

  df.app.orchestration("MgmtFailing", function* (context: OrchestrationContext) {
    const result: string = yield context.df.callActivity("MgmtStep", context.df.getInput<string>());
    return result;
  });

  df.app.orchestration("MgmtCounter", function* (context: OrchestrationContext) {
    const n = context.df.getInput<number>();
    if (n < 3) {
      context.df.continueAsNew(n + 1);
      return;
    }
    return n;
  });

  df.app.orchestration("MgmtEcho", function* (context: OrchestrationContext) {
    return context.df.getInput<unknown>() ?? null;
  });

  // The entity the entity routes signal: "delete" deletes it, anything else is recorded.
  df.app.entity("MgmtRecorder", (context: EntityContext<RecorderState>) => {
    if (context.df.operationName === "delete") {
      context.df.destructOnExit();
      return;
    }
    const count = context.df.getState(() => ({ operation: "", input: null, count: 0 }))?.count ?? 0;
    context.df.setState({
      operation: context.df.operationName ?? "",
      input: context.df.getInput() ?? null,
      count: count + 1,
    });
  });

  // A second entity name, for listing by name: keeps its last input.
  df.app.entity("MgmtFlag", (context: EntityContext<unknown>) => {
    context.df.setState(context.df.getInput() ?? true);
  });
}
