/**
 * The Durable Task wire contract (TaskHubSidecarService), taken from the generated modules
 * that `@microsoft/durabletask-js` ships rather than from a copied .proto, so the messages we
 * serve are the ones that SDK version sends. The package has no `exports` map, so these deep
 * paths are part of what its pinned version offers.
 */
export * as pb from "@microsoft/durabletask-js/dist/proto/orchestrator_service_pb";
export { TaskHubSidecarServiceService } from "@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb";
export { Empty } from "google-protobuf/google/protobuf/empty_pb";
export { Timestamp } from "google-protobuf/google/protobuf/timestamp_pb";
export { StringValue } from "google-protobuf/google/protobuf/wrappers_pb";
