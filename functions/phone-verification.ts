import { randomInt } from "node:crypto";
import * as df from "durable-ts";
import type { OrchestrationContext } from "durable-ts";

/**
 * Phone verification: send a code, then accept up to three answers (events named
 * "SmsChallengeResponse") before the challenge expires.
 */
df.app.activity("SendSmsChallenge", {
  handler: (phoneNumber: string, context) => {
    const code = randomInt(1000, 10000);
    // A real app would text the code; the demo logs it so it can be answered with curl.
    context.log(`Verification code for ${phoneNumber}: ${code}`);
    return code;
  },
});

df.app.orchestration("PhoneVerification", function* (context: OrchestrationContext) {
  const phoneNumber = context.df.getInput<string>();
  if (!phoneNumber) throw new Error("A phone number is required as input.");
  const code: number = yield context.df.callActivity("SendSmsChallenge", phoneNumber);
  const expiresAt = new Date(context.df.currentUtcDateTime.getTime() + 90 * 1000);
  const expiry = context.df.createTimer(expiresAt);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const answer = context.df.waitForExternalEvent("SmsChallengeResponse");
    const winner = yield context.df.Task.any([answer, expiry]);
    if (winner === expiry) return { verified: false, reason: "expired" };
    if (Number(answer.result) === code) {
      expiry.cancel();
      return { verified: true, attempts: attempt };
    }
  }
  expiry.cancel();
  return { verified: false, reason: "too many wrong answers" };
});
