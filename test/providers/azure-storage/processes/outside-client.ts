/**
 * A plain Node process beside a function app: given a connection string and a hub name, it
 * starts an orchestration, raises an event to it, waits for it and lists the hub's instances,
 * printing what it saw as one JSON line. No host and no worker run here.
 *
 * Environment: STORAGE (connection string), HUB (task hub name), INSTANCE (instance id).
 */
import { createTaskHubClient } from "../../../../src/task-hub";

async function main(): Promise<void> {
  const client = await createTaskHubClient({
    connectionString: process.env.STORAGE,
    hubName: process.env.HUB,
  });
  const instanceId = process.env.INSTANCE ?? "outside";
  await client.startNew("WaitForName", { instanceId, input: JSON.stringify("Hello") });
  await client.raiseEvent(instanceId, "name", JSON.stringify("outside"));
  const state = await client.waitForCompletion(instanceId, 20_000);
  const page = await client.query({ runtimeStatus: ["Completed"] });
  process.stdout.write(
    `${JSON.stringify({
      status: state?.runtimeStatus,
      output: state?.output,
      listed: page.instances.map((instance) => instance.instanceId),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
