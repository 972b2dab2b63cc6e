/**
 * The functions of the lease-expiry scenario, registered both by the worker process that is
 * killed and by the test process that takes over, so both run the same code.
 */
import * as df from "../../../../src/index";

export const AWAIT_APPROVAL = "LeaseAwaitApproval";

df.app.orchestration(AWAIT_APPROVAL, function* (context) {
  const approver: string = yield context.df.waitForExternalEvent("Approve");
  const greeting: string = yield context.df.callActivity("LeaseGreet", approver);
  return greeting;
});

df.app.activity("LeaseGreet", { handler: (approver: string) => `approved by ${approver}` });
