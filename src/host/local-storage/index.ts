export * from "./development-storage";
export * from "./local-storage";
export * from "./local-storage-place";
