export * from "../../src/testing/free-port";
