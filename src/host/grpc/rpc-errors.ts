import { status, type ServiceError, Metadata } from "@grpc/grpc-js";
import { ValueTooLargeError } from "../../engine/value-limits";
import { InstanceExistsError } from "../../providers/task-hub";

/** The gRPC status for an error of ours: bad input says what to fix, the rest is INTERNAL. */
export function rpcError(error: unknown): Partial<ServiceError> {
  const details = error instanceof Error ? error.message : String(error);
  if (error instanceof InstanceExistsError) return serviceError(status.ALREADY_EXISTS, details);
  if (error instanceof ValueTooLargeError || error instanceof RangeError)
    return serviceError(status.INVALID_ARGUMENT, details);
  return serviceError(status.INTERNAL, details);
}

export function serviceError(code: status, details: string): Partial<ServiceError> {
  return { code, details, metadata: new Metadata() };
}
