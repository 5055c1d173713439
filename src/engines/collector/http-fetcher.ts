/** One GET, as the collector asks for it. */
export interface FetchRequest {
  url: URL;
  headers: Readonly<Record<string, string>>;
  /** Reading stops past this many body bytes, and the response is marked truncated. */
  maxBytes: number;
  timeoutMs: number;
}

export interface FetchResponse {
  status: number;
  /** Lower-case header names. */
  header(name: string): string | undefined;
  body: Uint8Array;
  truncated: boolean;
}

/**
 * The collector's only way out to the network. Implementations follow no redirect (the
 * collector checks each hop against its scope and robots.txt) and send no cookie, no
 * credential and no header beyond the ones asked for.
 */
export interface HttpFetcher {
  fetch(request: FetchRequest): Promise<FetchResponse>;
}
