/** Where watch alerts go: an HTTP endpoint the project does not own. */
export interface Webhooks {
  /**
   * Refuses (LIKENESS_POLICY_DENIED, rule `webhook-private-address`) a URL that is not http(s),
   * or, unless private addresses are allowed, whose host is or resolves to a loopback, private,
   * link-local or otherwise internal address.
   */
  check(url: string, options: { allowPrivate: boolean }): Promise<void>;
  /** POSTs the body as JSON, checking the address again at sending time; never follows redirects. */
  post(url: string, body: string, headers: Record<string, string>, options: { allowPrivate: boolean }): Promise<{ status: number }>;
}
