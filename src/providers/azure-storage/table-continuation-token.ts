/**
 * Refuses a continuation token that is not one a table query issued. @azure/data-tables issues
 * base64 of `{"nextPartitionKey": ..., "nextRowKey"?: ...}` and parses what it is given with no
 * check, so a garbled token would fail deep in the SDK with a JSON parser error.
 */
export function requireTableContinuationToken(token: string): void {
  if (!isTableContinuationToken(token)) {
    throw new RangeError(
      `The continuation token '${token.length > 100 ? `${token.slice(0, 100)}...` : token}' is not one ` +
        "this task hub issued; repeat the query without it to start from the first page.",
    );
  }
}

function isTableContinuationToken(token: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return false;
  let parsed: unknown;
  try {
    // The SDK reads the decoded bytes one character each, as latin1 does.
    parsed = JSON.parse(Buffer.from(token, "base64").toString("latin1"));
  } catch {
    return false;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return false;
  const { nextPartitionKey, nextRowKey } = parsed as Record<string, unknown>;
  return (
    typeof nextPartitionKey === "string" &&
    nextPartitionKey !== "" &&
    (nextRowKey === undefined || typeof nextRowKey === "string")
  );
}
