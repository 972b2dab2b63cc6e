import type { HttpManagementPayload as HttpManagementPayloadBody } from "../../protocol";

/**
 * The management URLs of one instance (`createHttpManagementPayload`). durable-functions declares
 * it as a class, so it is one here too; the client returns plain objects of this shape.
 */
export class HttpManagementPayload implements HttpManagementPayloadBody {
  declare readonly id: string;
  declare readonly statusQueryGetUri: string;
  declare readonly sendEventPostUri: string;
  declare readonly terminatePostUri: string;
  declare readonly rewindPostUri: string;
  declare readonly purgeHistoryDeleteUri: string;
  declare readonly restartPostUri: string;
  declare readonly suspendPostUri: string;
  declare readonly resumePostUri: string;
}
