import type { RpcFunctionMetadata, RpcInvocationResponse, RpcTypedData } from "./core-types";
import { fromRpcHttpResponse } from "./http-data";
import type { HostHttpResponse, InvocationResult } from "./invocation-types";
import { fromTypedData } from "./typed-data";

/** The binding name @azure/functions gives a function's return value. */
const RETURN_BINDING = "$return";

/** What the host needs from an invocation response, with HTTP responses decoded. */
export function readInvocationResponse(
  metadata: RpcFunctionMetadata,
  response: RpcInvocationResponse,
): InvocationResult {
  const result: InvocationResult = { returnValue: undefined, outputs: {} };
  const read = (data: RpcTypedData | null | undefined): unknown => {
    if (!data?.http) {
      return fromTypedData(data);
    }
    const http: HostHttpResponse = fromRpcHttpResponse(data.http);
    result.http ??= http;
    return http;
  };
  // The return value first: when a function has two HTTP outputs, the host answers with it.
  result.returnValue = read(response.returnValue);
  for (const output of response.outputData ?? []) {
    if (output.name && output.name !== RETURN_BINDING && metadata.bindings[output.name]) {
      result.outputs[output.name] = read(output.data);
    }
  }
  return result;
}
