/**
 * A client-side time limit on every try of a storage request. The table SDK sets none, and the
 * blob and queue SDKs' `tryTimeoutInMs` only asks the server to give up (a `timeout` query
 * parameter): a service that takes a request and never answers would hold the episode, and the
 * worker loop running it, for ever.
 */
import type { TableServiceClientOptions } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import {
  newPipeline as newBlobPipeline,
  type StorageSharedKeyCredential as BlobKey,
} from "@azure/storage-blob";
import {
  newPipeline as newQueuePipeline,
  type RequestPolicy,
  type RequestPolicyFactory,
  type StorageSharedKeyCredential as QueueKey,
  type WebResource,
} from "@azure/storage-queue";

/** As long as Azure Storage's own server-side limit for one operation. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

type TablePolicy = NonNullable<TableServiceClientOptions["additionalPolicies"]>[number]["policy"];

/** For the table clients' `additionalPolicies`, per retry. */
export function tableRequestTimeoutPolicy(timeoutMs: number): TablePolicy {
  return {
    name: "durableRequestTimeout",
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = timeoutMs;
      return next(request);
    },
  };
}

/** A request policy of the blob and queue SDKs' own kind; their retry policy then times each try. */
function timeoutPolicyFactory(timeoutMs: number): RequestPolicyFactory {
  return {
    create: (next: RequestPolicy): RequestPolicy => ({
      sendRequest(request: WebResource) {
        if (!request.timeout) request.timeout = timeoutMs;
        return next.sendRequest(request);
      },
    }),
  };
}

export function queuePipeline(credential: QueueKey | TokenCredential | undefined, timeoutMs: number) {
  const pipeline = newQueuePipeline(credential);
  pipeline.factories.push(timeoutPolicyFactory(timeoutMs));
  return pipeline;
}

export function blobPipeline(credential: BlobKey | TokenCredential | undefined, timeoutMs: number) {
  const pipeline = newBlobPipeline(credential);
  pipeline.factories.push(timeoutPolicyFactory(timeoutMs));
  return pipeline;
}
