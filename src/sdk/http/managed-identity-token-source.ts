/** Asks the host to add an Azure AD token, obtained with the app's managed identity, to a durable HTTP call. */
export class ManagedIdentityTokenSource {
  /** The Azure AD resource of the API being called, e.g. `https://management.core.windows.net/.default`. */
  readonly resource: string;
  /**
   * The wire discriminator the host reads. Optional in the type only, so token sources typed with
   * durable-functions (whose declaration omits it) are accepted too.
   */
  readonly kind?: "AzureManagedIdentity";

  constructor(resource: string) {
    // Assigned here, in this order, so the JSON matches the official worker's.
    this.resource = resource;
    this.kind = "AzureManagedIdentity";
  }
}

/** The token sources `callHttp` accepts. */
export type TokenSource = ManagedIdentityTokenSource;
