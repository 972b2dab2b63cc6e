/**
 * The answer of a client function whose DurableClient call failed: the client's own message,
 * with 404 when it says that the instance does not exist.
 */
function errorResponse(error) {
  const message = error instanceof Error ? error.message : String(error);
  const notFound = /HTTP 404 response|No instance with ID/.test(message);
  return { status: notFound ? 404 : 500, jsonBody: { error: message } };
}

module.exports = { errorResponse };
