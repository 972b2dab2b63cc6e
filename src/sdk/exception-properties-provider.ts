/**
 * Provides custom properties to attach to the failure details of an error thrown by an activity.
 * Register one for the whole app with `app.setExceptionPropertiesProvider`.
 */
export interface ExceptionPropertiesProvider {
  /**
   * Returns the properties to attach for this thrown value, or `undefined` for none. Whatever this
   * method throws is swallowed, so a faulty provider never hides the original failure.
   */
  getExceptionProperties(error: unknown): Record<string, unknown> | undefined;
}

/** The camelCase failure payload that newer hosts parse into FailureDetails (see protocol §4). */
interface TaskFailurePayload {
  errorType: string;
  errorMessage: string;
  isNonRetriable: boolean;
  properties: Record<string, unknown>;
  stackTrace?: string;
}

let registeredProvider: ExceptionPropertiesProvider | undefined;

/** Replaces the app-wide provider; `undefined` removes it. */
export function setExceptionPropertiesProvider(provider: ExceptionPropertiesProvider | undefined): void {
  registeredProvider = provider;
}

/** The provider's properties for `error`, copied, or `undefined` when there are none. */
export function extractExceptionProperties(error: unknown): Record<string, unknown> | undefined {
  if (!registeredProvider) {
    return undefined;
  }
  try {
    const properties = registeredProvider.getExceptionProperties(error);
    return properties ? { ...properties } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The JSON text that replaces an activity error's message when the provider has properties for it,
 * or `undefined` when the error must be rethrown untouched.
 */
export function buildTaskFailureDetailsJson(error: unknown): string | undefined {
  const properties = extractExceptionProperties(error);
  if (!properties) {
    return undefined;
  }
  const errorObject = error instanceof Error ? error : undefined;
  const payload: TaskFailurePayload = {
    errorType: errorTypeOf(errorObject),
    errorMessage: errorMessageOf(error, errorObject),
    isNonRetriable: false,
    properties,
  };
  if (errorObject?.stack) {
    payload.stackTrace = errorObject.stack;
  }
  try {
    return JSON.stringify(payload);
  } catch {
    // Properties that cannot be serialised (cycles, BigInt) mean the error travels unchanged.
    return undefined;
  }
}

function errorTypeOf(errorObject: Error | undefined): string {
  // `name` can be deleted or shadowed with undefined, hence the constructor fallback.
  const name: string | undefined = errorObject?.name;
  const constructorName: string | undefined = (errorObject?.constructor as { name?: string } | undefined)
    ?.name;
  return name ?? constructorName ?? "Error";
}

function errorMessageOf(error: unknown, errorObject: Error | undefined): string {
  const message: string | undefined = errorObject?.message;
  if (message !== undefined) {
    return message;
  }
  if (typeof error === "string") {
    return error;
  }
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
