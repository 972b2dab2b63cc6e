/**
 * Loads an app with the default `import()` in a plain Node process, as `durable start` does,
 * runs the invocations given as JSON and prints what came back as one JSON line.
 * Usage: node -r test/support/ts-register.js load-and-invoke.ts <appDir> '<[{name, input}]>'
 */
import { loadFunctionApp } from "../../../../src/host/functions-worker/app-loader";
import type {
  InvocationInput,
  InvocationResult,
} from "../../../../src/host/functions-worker/invocation-types";

async function main(): Promise<void> {
  const [appDir, invocationsJson] = process.argv.slice(2);
  const userLogs: string[] = [];
  const app = await loadFunctionApp(appDir, {
    logger: (_level, functionName, message, category) => {
      if (category === "user") userLogs.push(`${functionName}: ${message}`);
    },
  });
  const results = [];
  for (const { name, input } of JSON.parse(invocationsJson) as { name: string; input: InvocationInput }[]) {
    results.push(summarize(await app.invoke(name, input)));
  }
  console.log(
    JSON.stringify({
      functions: app.functions.map((fn) => fn.name),
      results,
      userLogs,
      coreResolvesTo: require.resolve("@azure/functions-core"),
    }),
  );
}

/** Buffers do not survive JSON; HTTP bodies are printed as text. */
function summarize(result: InvocationResult): unknown {
  if (!result.http) return { returnValue: result.returnValue };
  return { http: { status: result.http.status, body: String(result.http.body) } };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
