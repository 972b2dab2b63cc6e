export * from "../../src/testing/azurite-process";
