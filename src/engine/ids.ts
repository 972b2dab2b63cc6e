import { randomUUID } from "node:crypto";
import { v5 } from "uuid";

/** A new execution or instance id: a GUID in "N" format (32 hex digits), as the extension generates. */
export function newGuidN(): string {
  return randomUUID().replace(/-/g, "");
}

export function newGuid(): string {
  return randomUUID();
}

/**
 * Instance ids and entity keys end up in table keys and URLs: these characters break one or the
 * other. A lone surrogate has no UTF-8 form, so no URL can name it.
 */
export function hasForbiddenIdCharacter(text: string): boolean {
  return /[/\\#?]|\p{Cs}/u.test(text) || [...text].some(isControlCharacter);
}

function isControlCharacter(char: string): boolean {
  const code = char.charCodeAt(0);
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** Our own namespace for ids the host derives from an orchestration's position. */
const HOST_GUID_NAMESPACE = "5b0f3a52-6c1e-4f7d-9a4b-2d8e1c6f0a93";

/**
 * The id of an entity request an orchestration sends at `sequence`: the same however often the
 * episode runs again (a checkpoint that lost a race), so the entity and the caller agree on it.
 */
export function entityRequestGuid(instanceId: string, executionId: string, sequence: number): string {
  return v5(`${instanceId}\n${executionId}\n${sequence}`, HOST_GUID_NAMESPACE);
}

/**
 * The id of the `index`th signal the entity operation `requestId` sent: the same when the batch
 * runs again after its commit was lost, so the target drops the second copy.
 */
export function entitySignalGuid(senderInstanceId: string, requestId: string, index: number): string {
  return v5(`signal\n${senderInstanceId}\n${requestId}\n${index}`, HOST_GUID_NAMESPACE);
}
