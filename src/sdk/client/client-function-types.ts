import type {
  CosmosDBv3FunctionOptions,
  CosmosDBv4FunctionOptions,
  EventGridEvent,
  EventGridFunctionOptions,
  EventHubFunctionOptions,
  FunctionHandler,
  FunctionInput,
  FunctionOptions,
  FunctionResult,
  HttpFunctionOptions,
  HttpRequest,
  HttpResponse,
  HttpResponseInit,
  InvocationContext,
  ServiceBusQueueFunctionOptions,
  ServiceBusTopicFunctionOptions,
  StorageBlobFunctionOptions,
  StorageQueueFunctionOptions,
  Timer,
  TimerFunctionOptions,
} from "@azure/functions";
import type { DurableClient } from "./durable-client";

export interface DurableClientInput extends FunctionInput {
  type: "durableClient";
}

/**
 * A generic trigger's input and result are typed exactly as @azure/functions types them for its
 * own generic handlers, so untyped handler parameters keep compiling as they do with
 * durable-functions.
 */
type GenericTriggerInput = Parameters<FunctionHandler>[0];
type GenericHandlerResult = ReturnType<FunctionHandler>;

/** A function triggered by anything that also receives a DurableClient. */
export type DurableClientHandler = (
  triggerInput: GenericTriggerInput,
  durableClient: DurableClient,
  context: InvocationContext,
) => GenericHandlerResult;

export interface DurableClientOptions extends Omit<FunctionOptions, "handler"> {
  handler: DurableClientHandler;
}

export type HttpDurableClientHandler = (
  request: HttpRequest,
  client: DurableClient,
  context: InvocationContext,
) => FunctionResult<HttpResponseInit | HttpResponse>;

export interface HttpDurableClientOptions extends Omit<HttpFunctionOptions, "handler"> {
  handler: HttpDurableClientHandler;
}

export type TimerDurableClientHandler = (
  myTimer: Timer,
  client: DurableClient,
  context: InvocationContext,
) => FunctionResult;

export interface TimerDurableClientOptions extends Omit<TimerFunctionOptions, "handler"> {
  handler: TimerDurableClientHandler;
}

export type StorageBlobDurableClientHandler = (
  blob: unknown,
  client: DurableClient,
  context: InvocationContext,
) => FunctionResult;

export interface StorageBlobDurableClientOptions extends Omit<StorageBlobFunctionOptions, "handler"> {
  handler: StorageBlobDurableClientHandler;
}

export type StorageQueueDurableClientHandler = (
  queueEntry: unknown,
  client: DurableClient,
  context: InvocationContext,
) => FunctionResult;

export interface StorageQueueDurableClientOptions extends Omit<StorageQueueFunctionOptions, "handler"> {
  handler: StorageQueueDurableClientHandler;
}

export type ServiceBusQueueDurableClientHandler = (
  message: unknown,
  client: DurableClient,
  context: InvocationContext,
) => FunctionResult;

export interface ServiceBusQueueDurableClientOptions extends Omit<ServiceBusQueueFunctionOptions, "handler"> {
  handler: ServiceBusQueueDurableClientHandler;
}

export type ServiceBusTopicDurableClientHandler = (
  message: unknown,
  client: DurableClient,
  context: InvocationContext,
) => FunctionResult;

export interface ServiceBusTopicDurableClientOptions extends Omit<ServiceBusTopicFunctionOptions, "handler"> {
  handler: ServiceBusTopicDurableClientHandler;
}

export type EventHubDurableClientHandler = (
  messages: unknown,
  client: DurableClient,
  context: InvocationContext,
) => FunctionResult;

export interface EventHubDurableClientOptions extends Omit<EventHubFunctionOptions, "handler"> {
  handler: EventHubDurableClientHandler;
}

export type EventGridDurableClientHandler = (
  event: EventGridEvent,
  client: DurableClient,
  context: InvocationContext,
) => FunctionResult;

export interface EventGridDurableClientOptions extends Omit<EventGridFunctionOptions, "handler"> {
  handler: EventGridDurableClientHandler;
}

export type CosmosDBDurableClientHandler = (
  documents: unknown[],
  client: DurableClient,
  context: InvocationContext,
) => FunctionResult;

export type CosmosDBDurableClientOptions = CosmosDBv3DurableClientOptions | CosmosDBv4DurableClientOptions;

export interface CosmosDBv3DurableClientOptions extends Omit<CosmosDBv3FunctionOptions, "handler"> {
  handler: CosmosDBDurableClientHandler;
}

export interface CosmosDBv4DurableClientOptions extends Omit<CosmosDBv4FunctionOptions, "handler"> {
  handler: CosmosDBDurableClientHandler;
}
