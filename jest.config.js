/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }],
  },
  // The demo app imports the package by name, as a user's app would.
  moduleNameMapper: {
    "^durable-ts$": "<rootDir>/src/index.ts",
    "^durable-ts/testing$": "<rootDir>/src/testing.ts",
  },
  testTimeout: 30000,
};
