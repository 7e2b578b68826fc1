/** A request as the signers see it: the exact bytes of the body must be the ones sent. */
export interface HttpRequestToSign {
  method: string;
  /** Absolute URL, with the query string. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}
