import type { TokenSource } from "./managed-identity-token-source";

/**
 * The request of a durable HTTP call, as it travels in a CallHttp action. The constructor assigns
 * the fields in wire order so the action's JSON matches the official worker byte for byte.
 */
export class DurableHttpRequest {
  constructor(
    public readonly method: string,
    public readonly uri: string,
    public readonly content?: string,
    public readonly headers?: { [key: string]: string },
    public readonly tokenSource?: TokenSource,
    public readonly asynchronousPatternEnabled: boolean = true,
  ) {}
}
