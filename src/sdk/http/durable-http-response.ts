/** The response of a durable HTTP call. */
export class DurableHttpResponse {
  constructor(
    public readonly statusCode: number,
    public readonly content?: string,
    public readonly headers?: { [key: string]: string | string[] },
  ) {}

  /** Looks a header up by name, ignoring case as HTTP does. */
  getHeader(name: string): string | string[] | undefined {
    if (!this.headers) {
      return undefined;
    }
    const wanted = name.toLowerCase();
    const key = Object.keys(this.headers).find((candidate) => candidate.toLowerCase() === wanted);
    return key === undefined ? undefined : this.headers[key];
  }
}
