import {
  output as azureOutput,
  trigger as azureTrigger,
  type CosmosDBTriggerOptions,
  type FunctionHandler,
  type FunctionInput,
  type FunctionOutput,
  type FunctionTrigger,
  type GenericFunctionOptions,
  type RetryOptions,
} from "@azure/functions";
import type {
  CosmosDBDurableClientOptions,
  DurableClientHandler,
  DurableClientOptions,
  EventGridDurableClientOptions,
  EventHubDurableClientOptions,
  HttpDurableClientOptions,
  ServiceBusQueueDurableClientOptions,
  ServiceBusTopicDurableClientOptions,
  StorageBlobDurableClientOptions,
  StorageQueueDurableClientOptions,
  TimerDurableClientOptions,
} from "./client/client-function-types";
import { getClient, isDurableClientInput } from "./client/get-client";
import { durableClient } from "./input";
import { registerFunction } from "./registry";

/** An HTTP-triggered function that receives a DurableClient as its second argument. */
export function http(functionName: string, options: HttpDurableClientOptions): void {
  const { handler, common, triggerOptions } = splitOptions(options);
  // Like app.http of @azure/functions: the HTTP response is the function's return value.
  common.return ||= azureOutput.http({});
  register(functionName, handler, common, () => azureTrigger.http(triggerOptions));
}

export function timer(functionName: string, options: TimerDurableClientOptions): void {
  const { handler, common, triggerOptions } = splitOptions(options);
  register(functionName, handler, common, () => azureTrigger.timer(triggerOptions));
}

export function storageBlob(functionName: string, options: StorageBlobDurableClientOptions): void {
  const { handler, common, triggerOptions } = splitOptions(options);
  register(functionName, handler, common, () => azureTrigger.storageBlob(triggerOptions));
}

export function storageQueue(functionName: string, options: StorageQueueDurableClientOptions): void {
  const { handler, common, triggerOptions } = splitOptions(options);
  register(functionName, handler, common, () => azureTrigger.storageQueue(triggerOptions));
}

export function serviceBusQueue(functionName: string, options: ServiceBusQueueDurableClientOptions): void {
  const { handler, common, triggerOptions } = splitOptions(options);
  register(functionName, handler, common, () => azureTrigger.serviceBusQueue(triggerOptions));
}

export function serviceBusTopic(functionName: string, options: ServiceBusTopicDurableClientOptions): void {
  const { handler, common, triggerOptions } = splitOptions(options);
  register(functionName, handler, common, () => azureTrigger.serviceBusTopic(triggerOptions));
}

export function eventHub(functionName: string, options: EventHubDurableClientOptions): void {
  const { handler, common, triggerOptions } = splitOptions(options);
  register(functionName, handler, common, () => azureTrigger.eventHub(triggerOptions));
}

export function eventGrid(functionName: string, options: EventGridDurableClientOptions): void {
  const { handler, common, triggerOptions } = splitOptions(options);
  register(functionName, handler, common, () => azureTrigger.eventGrid(triggerOptions));
}

export function cosmosDB(functionName: string, options: CosmosDBDurableClientOptions): void {
  const { handler, common, triggerOptions } = splitOptions(options);
  register(functionName, handler, common, () =>
    azureTrigger.cosmosDB(triggerOptions as CosmosDBTriggerOptions),
  );
}

/** A function with any trigger (`options.trigger`) that receives a DurableClient. */
export function generic(functionName: string, options: DurableClientOptions): void {
  const { handler, common } = splitOptions(options);
  register(functionName, handler, common, () => options.trigger);
}

/** The options every function has, apart from the trigger's own. */
interface CommonOptions {
  trigger?: FunctionTrigger;
  return?: FunctionOutput;
  extraInputs?: FunctionInput[];
  extraOutputs?: FunctionOutput[];
  retry?: RetryOptions;
}

type ClientHandler = (trigger: never, client: never, context: never) => unknown;

/**
 * Separates the handler and the common options from the trigger's options, as the
 * `app.<trigger>` functions of @azure/functions do, and adds the durableClient input.
 */
function splitOptions<O extends CommonOptions & { handler: ClientHandler }>(options: O) {
  ensureClientInput(options);
  const {
    handler,
    trigger,
    return: returnOutput,
    extraInputs,
    extraOutputs,
    retry,
    ...triggerOptions
  } = options;
  const common: CommonOptions = { trigger, return: returnOutput, extraInputs, extraOutputs, retry };
  return { handler, common, triggerOptions };
}

/**
 * Adds the durableClient input unless the app declared one. The app's own options object gets
 * the input, as with durable-functions, so code that inspects it afterwards sees the same thing.
 */
function ensureClientInput(options: CommonOptions): void {
  options.extraInputs = options.extraInputs ?? [];
  if (!options.extraInputs.find(isDurableClientInput)) {
    options.extraInputs.push(durableClient());
  }
}

function register(
  functionName: string,
  userHandler: ClientHandler,
  common: CommonOptions,
  createTrigger: () => FunctionTrigger,
): void {
  const clientHandler = userHandler as unknown as DurableClientHandler;
  const handler: FunctionHandler = (triggerInput: unknown, context) =>
    clientHandler(triggerInput, getClient(context), context);
  const options: GenericFunctionOptions = { ...common, trigger: common.trigger ?? createTrigger(), handler };
  registerFunction({ kind: "client", name: functionName, handler, userHandler: clientHandler, options });
}
