/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Sample apps install their own dependencies (test/compat does): never modules of this run.
  modulePathIgnorePatterns: ["<rootDir>/samples/[^/]+/node_modules/"],
  testPathIgnorePatterns: ["/node_modules/"],
  transform: {
    // Transpile only: `npm run typecheck` is the type gate.
    "^.+\\.ts$": ["ts-jest", { isolatedModules: true, tsconfig: "tsconfig.json" }],
  },
  // The demo app imports the package by name, as a user's app would.
  moduleNameMapper: {
    "^durable-ts$": "<rootDir>/src/index.ts",
    "^durable-ts/testing$": "<rootDir>/src/testing.ts",
    "^durable-ts/task-hub$": "<rootDir>/src/task-hub.ts",
  },
  // A real Azurite for provider and host tests, one per run.
  globalSetup: "<rootDir>/test/setup/global-setup.ts",
  globalTeardown: "<rootDir>/test/setup/global-teardown.ts",
  testTimeout: 30000,
};
