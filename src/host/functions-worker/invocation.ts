import type { FunctionsCoreState, RegisteredFunction } from "./core-state";
import type {
  CoreInvocationContext,
  HookData,
  RpcInvocationRequest,
  RpcInvocationResponse,
} from "./core-types";
import { runHooks, withReadOnly } from "./hook-context";
import { dispatchLog, type InvocationLogScope } from "./log-dispatch";

/**
 * Runs one invocation the way the Node worker does: the programming model turns the request into
 * a context and arguments, preInvocation hooks may swap the inputs or the callback, the callback
 * runs, postInvocation hooks may replace the result or clear the error, and the model turns the
 * result into the response. A remaining error rejects with the error itself.
 */
export async function runInvocation(
  state: FunctionsCoreState,
  registered: RegisteredFunction,
  request: RpcInvocationRequest,
): Promise<RpcInvocationResponse> {
  const programmingModel = state.programmingModel;
  if (!programmingModel) {
    throw new Error("The app registered no programming model: load it through @azure/functions v4.");
  }
  const hookData: HookData = {};
  const scope: InvocationLogScope = {
    functionName: registered.metadata.name,
    hookData,
    invocationContext: undefined,
  };
  const coreContext: CoreInvocationContext = {
    invocationId: request.invocationId,
    request,
    metadata: registered.metadata,
    state: undefined,
    log: (level, category, message) => dispatchLog(state, level, category, message, scope),
  };

  const invocationModel = await programmingModel.getInvocationModel(coreContext);
  const { context, inputs } = await invocationModel.getArguments();
  scope.invocationContext = context;
  const shared = { hookData, appHookData: state.appHookData, invocationContext: context };

  const preContext = withReadOnly({ inputs, functionCallback: registered.callback }, shared);
  await duringState(coreContext, "preInvocationHooks", () => runHooks(state.hooks.preInvocation, preContext));

  const postContext = withReadOnly(
    { inputs: preContext.inputs, result: null as unknown, error: null as unknown },
    shared,
  );
  await duringState(coreContext, "invocation", async () => {
    try {
      postContext.result = await invocationModel.invokeFunction(
        context,
        preContext.inputs,
        preContext.functionCallback,
      );
    } catch (error) {
      postContext.error = error;
    }
  });
  await duringState(coreContext, "postInvocationHooks", () =>
    runHooks(state.hooks.postInvocation, postContext),
  );

  // Anything thrown counts, even a string; only a hook that cleared it turns it into success.
  if (postContext.error !== null && postContext.error !== undefined) {
    throw postContext.error;
  }
  return invocationModel.getResponse(context, postContext.result);
}

/**
 * The library reads the state to tell a late `context.log` (after the function finished, a
 * missing await) from one written by a postInvocation hook.
 */
async function duringState(
  coreContext: CoreInvocationContext,
  invocationState: NonNullable<CoreInvocationContext["state"]>,
  run: () => Promise<void>,
): Promise<void> {
  coreContext.state = invocationState;
  try {
    await run();
  } finally {
    coreContext.state = undefined;
  }
}
