/** The connection string of the run's Azurite, started by test/setup/global-setup.ts. */
export function testStorageConnectionString(): string {
  const value = process.env.DURABLE_TEST_STORAGE;
  if (!value) throw new Error("DURABLE_TEST_STORAGE is not set: run the tests through jest's global setup.");
  return value;
}
