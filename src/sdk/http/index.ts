export { DurableHttpRequest } from "./durable-http-request";
export { DurableHttpResponse } from "./durable-http-response";
export { ManagedIdentityTokenSource, type TokenSource } from "./managed-identity-token-source";
