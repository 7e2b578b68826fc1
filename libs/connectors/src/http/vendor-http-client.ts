import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { describeContent, sniffContent, type SniffedContent } from '../content-sniffing.js';
import { errorMessage } from '../error-message.js';
import { VendorCallError } from '../errors.js';
import { htmlSummary, sanitizedExcerpt } from './sanitized-excerpt.js';
import { parseVendorErrorBody } from './vendor-error-body.js';
import { readableFromWebBody, readBodyHead, type WebBodyReader } from './web-body-readable.js';

/** The request exactly as it will be sent, for a signer to sign. */
export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Returns the headers that authenticate a request (signature, date, token). */
export type RequestAuthorizer = ((request: SignableRequest) => Record<string, string> | Promise<Record<string, string>>) & {
  /** Called after a 401, before one retry: e.g. a cached IAM token is discarded and renewed. */
  renew?: () => Promise<void>;
};

/** What a successful answer must look like; a 200 with anything else is a failed call. */
export type ExpectedBody = 'zip' | 'json' | 'bytes';

export interface VendorRequest {
  /** Names the call in errors and logs, with placeholders rather than ids: "POST /v1/{project_id}/connections/export". */
  call: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  expect: ExpectedBody;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
  /** The run's signal: cancelling the run cancels the call. */
  signal?: AbortSignal;
}

export interface VendorResponse {
  status: number;
  headers: Headers;
  contentType?: string;
  /** The body, streamed; read failures surface as VendorCallError on the stream. */
  body: Readable;
}

export interface VendorHttpClientOptions {
  authorize?: RequestAuthorizer;
  /** Covers the whole exchange, body included. */
  timeoutMs?: number;
  logger?: Logger;
}

export const DEFAULT_VENDOR_CALL_TIMEOUT_MS = 120_000;

/**
 * Enough to tell a zip from a page without waiting on a slow body; only a wrong body is read
 * further, and never whole, to quote it in the error.
 */
const SNIFF_BYTES = 64;
const ERROR_BODY_BYTES = 8 * 1024;

const EXPECTED_DESCRIPTIONS: Record<ExpectedBody, string> = {
  zip: 'a zip',
  json: 'a JSON document',
  bytes: 'an export file',
};

/**
 * The one way connectors call a vendor: signs the exact bytes sent, bounds the call in time,
 * and turns every failure into a VendorCallError that names the call. One attempt per send():
 * retrying belongs to the run engine, which wraps send() and reads `retryable`/`retryAfterMs`.
 */
export class VendorHttpClient {
  private readonly timeoutMs: number;

  constructor(private readonly options: VendorHttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_VENDOR_CALL_TIMEOUT_MS;
  }

  async send(request: VendorRequest): Promise<VendorResponse> {
    const startedAt = Date.now();
    const response = await this.attempt(request);
    this.options.logger?.debug({ call: request.call, status: response.status, ms: Date.now() - startedAt }, 'vendor call answered');
    return response;
  }

  private async attempt(request: VendorRequest): Promise<VendorResponse> {
    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    const headers = { ...request.headers };
    const authHeaders = this.options.authorize
      ? await this.options.authorize({ method: request.method, url: request.url, headers: { ...headers }, body })
      : {};
    const sentHeaders = withoutHostHeader({ ...headers, ...authHeaders });

    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const failures = new CallFailures(request.call, timeoutMs, timeout, request.signal, secretsOf(authHeaders));

    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: sentHeaders,
        body: body && body.length > 0 ? body : undefined,
        signal,
        // A redirect from an API is a login wall or a misconfigured endpoint; following it
        // would send our signed request somewhere we did not sign it for.
        redirect: 'manual',
      });
    } catch (cause) {
      throw failures.fromThrown(cause, 'sending the request');
    }

    const reader: WebBodyReader | null = response.body?.getReader() ?? null;
    if (response.status < 200 || response.status > 299) {
      throw await failures.fromStatus(response, reader);
    }

    let head: { chunks: Buffer[]; ended: boolean } = { chunks: [], ended: true };
    if (reader) {
      try {
        head = await readBodyHead(reader, SNIFF_BYTES);
      } catch (cause) {
        throw failures.fromThrown(cause, 'reading the response body');
      }
    }
    const contentType = response.headers.get('content-type') ?? undefined;
    const seen = sniffContent(Buffer.concat(head.chunks), contentType);
    if (!satisfies(request.expect, seen)) {
      const rest = reader && !head.ended ? await readAtMost(reader, ERROR_BODY_BYTES) : Buffer.alloc(0);
      reader?.cancel().catch(() => undefined);
      const received = Buffer.concat([...head.chunks, rest]);
      // Described from everything read, not just the sniffed head (a page may open with a long comment).
      throw failures.unexpectedContent(response.status, request.expect, sniffContent(received, contentType), received);
    }

    return {
      status: response.status,
      headers: response.headers,
      contentType,
      body: readableFromWebBody(head.chunks, head.ended ? null : reader, (cause) =>
        failures.fromThrown(cause, 'reading the response body'),
      ),
    };
  }
}

function satisfies(expected: ExpectedBody, seen: SniffedContent): boolean {
  switch (expected) {
    case 'zip':
      return seen === 'zip';
    case 'json':
      return seen === 'json';
    case 'bytes':
      return seen !== 'html';
  }
}

/** fetch derives Host from the URL; a signer may return it because it signed it. */
function withoutHostHeader(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'host'));
}

/** Auth header values, and their long parts (a signature alone), must never appear in an error. */
function secretsOf(authHeaders: Record<string, string>): string[] {
  const values = Object.values(authHeaders);
  const parts = values.flatMap((value) => value.split(/[\s,;=]+/)).filter((part) => part.length >= 16);
  return [...values, ...parts];
}

/** Builds the VendorCallError for each way one call can fail. */
class CallFailures {
  constructor(
    private readonly call: string,
    private readonly timeoutMs: number,
    private readonly timeout: AbortSignal,
    private readonly runSignal: AbortSignal | undefined,
    private readonly secrets: string[],
  ) {}

  fromThrown(cause: unknown, phase: string): VendorCallError {
    if (cause instanceof VendorCallError) return cause;
    if (this.runSignal?.aborted) {
      return new VendorCallError(`${this.call}: cancelled while ${phase} (the run was aborted)`, {
        call: this.call,
        code: 'ABORTED',
        cause,
      });
    }
    if (this.timeout.aborted) {
      return new VendorCallError(`${this.call}: no complete answer within ${this.timeoutMs} ms (timed out while ${phase})`, {
        call: this.call,
        code: 'TIMEOUT',
        retryable: true,
        cause,
      });
    }
    return new VendorCallError(`${this.call}: network error while ${phase}: ${networkDetail(cause)}`, {
      call: this.call,
      code: 'NETWORK',
      retryable: true,
      cause,
    });
  }

  async fromStatus(response: Response, reader: WebBodyReader | null): Promise<VendorCallError> {
    const status = response.status;
    const text = reader ? (await readAtMost(reader, ERROR_BODY_BYTES)).toString('utf8') : '';
    const { vendorCode, vendorMessage } = parseVendorErrorBody(text);
    const location = response.headers.get('location');
    let said: string;
    if (status >= 300 && status < 400 && location) said = `redirect to ${redirectTarget(location, response.url)}`;
    else if (vendorMessage) said = vendorMessage;
    else said = sniffContent(Buffer.from(text), response.headers.get('content-type')) === 'html' ? htmlSummary(text) : text;
    const excerpt = sanitizedExcerpt(said, this.secrets);
    const label = vendorCode ? `${status} ${vendorCode}` : String(status);
    return new VendorCallError(`${this.call}: vendor answered ${label}${excerpt ? `: ${excerpt}` : ''}`, {
      call: this.call,
      code: 'HTTP_ERROR',
      status,
      vendorCode,
      retryable: status === 408 || status === 429 || status >= 500,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    });
  }

  unexpectedContent(status: number, expected: ExpectedBody, seen: SniffedContent, head: Buffer): VendorCallError {
    const text = head.toString('utf8');
    const { vendorCode, vendorMessage } = seen === 'json' ? parseVendorErrorBody(text) : {};
    let quoted = '';
    if (seen === 'html') quoted = htmlSummary(text);
    else if (vendorMessage) quoted = vendorMessage;
    else if (seen === 'json' || seen === 'xml' || seen === 'text') quoted = text;
    const excerpt = sanitizedExcerpt(quoted, this.secrets);
    const message =
      `${this.call}: vendor answered ${status} with ${describeContent(seen)} instead of ${EXPECTED_DESCRIPTIONS[expected]}` +
      (vendorCode ? ` (vendor code ${vendorCode})` : '') +
      (excerpt ? `: ${excerpt}` : '');
    return new VendorCallError(message, { call: this.call, code: 'UNEXPECTED_CONTENT', status, vendorCode });
  }
}

/** undici wraps the socket error ("other side closed", ECONNREFUSED) in a generic TypeError. */
function networkDetail(cause: unknown): string {
  const inner = (cause as { cause?: unknown } | null)?.cause;
  const message = inner ? errorMessage(inner) : errorMessage(cause);
  const code = (inner as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

async function readAtMost(reader: WebBodyReader, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    while (length < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      length += value.byteLength;
    }
  } catch {
    // The call already failed; a body cut short only shortens the excerpt.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

/** Only where a redirect points, never its query (it may carry a ticket or token). */
function redirectTarget(location: string, base: string): string {
  try {
    const url = new URL(location, base || undefined);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'an unparseable location';
  }
}

/** Retry-After is seconds or an HTTP date (RFC 9110). */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
