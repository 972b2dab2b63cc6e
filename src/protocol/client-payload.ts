/** The management URLs of one instance, in the order the extension writes them. */
export interface HttpManagementPayload {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

/** The check-status body of a 202 from the start and restart routes. */
export type CheckStatusPayload = Omit<HttpManagementPayload, "rewindPostUri">;

export interface HttpCreationPayload {
  createNewInstancePostUri: string;
  createAndWaitOnNewInstancePostUri: string;
}

/** The value of the durableClient input binding (serialised to a JSON string on the wire). */
export interface DurableClientBindingPayload {
  taskHubName: string;
  connectionName: string | null;
  creationUrls: HttpCreationPayload;
  /** URLs with the literal placeholder INSTANCEID in place of the instance id. */
  managementUrls: HttpManagementPayload;
  baseUrl: string;
  requiredQueryStringParameters: string;
  /** Ends with "/". When present, every client call goes here. */
  rpcBaseUrl?: string;
  httpBaseUrl: string | null;
}

/** The placeholder the binding's managementUrls carry instead of an instance id. */
export const INSTANCE_ID_PLACEHOLDER = "INSTANCEID";
