import { AsyncLocalStorage } from 'node:async_hooks';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { describeContent, sniffContent, type SniffedContent } from '../content-sniffing.js';
import { errorMessage } from '../error-message.js';
import { VendorCallError } from '../errors.js';
import { CallRetries } from './call-retries.js';
import { DEFAULT_MAX_BUFFERED_RESPONSE_BYTES, DEFAULT_MAX_RESPONSE_BYTES, formatBytes } from './response-size-limit.js';
import { parseRetryAfterMs } from './retry-after.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { htmlSummary, sanitizedExcerpt } from './sanitized-excerpt.js';
import { spoolBody } from './spooled-body.js';
import { parseVendorErrorBody } from './vendor-error-body.js';
import {
  DEFAULT_VENDOR_RATE_LIMIT,
  sharedVendorRateLimiters,
  type RateLimit,
  type ReleaseSlot,
  type VendorRateLimiter,
  type VendorRateLimiters,
} from './vendor-rate-limiter.js';
import { readableFromWebBody, readBodyHead, type WebBodyReader } from './web-body-readable.js';
import { endsWithZipEndRecord, ZIP_END_SEARCH_BYTES } from './zip-end-record.js';

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
  /** Overrides the client's timeout for this call (each attempt gets the whole of it). */
  timeoutMs?: number;
  /** The run's signal: cancelling the run cancels the call, and any wait before a retry. */
  signal?: AbortSignal;
  /**
   * Whether sending the request twice does no more than sending it once. Defaults to true for
   * GET, HEAD, OPTIONS, PUT and DELETE; a POST is retried only when its connector marks it
   * (an export that only reads the vendor's state).
   */
  idempotent?: boolean;
  /** The largest body accepted; defaults to the client's (512 MiB), or 32 MiB for fetchBuffered. */
  maxResponseBytes?: number;
  /** Overrides the client's retry policy for this call. */
  maxAttempts?: number;
}

export interface VendorResponse {
  status: number;
  headers: Headers;
  contentType?: string;
  /** The body, streamed; read failures surface as VendorCallError on the stream. */
  body: Readable;
}

/** A whole body, read within the retried call (`fetchBuffered`). */
export interface BufferedVendorResponse {
  status: number;
  headers: Headers;
  contentType?: string;
  body: Buffer;
}

/** A body copied to a temp file within the retried call (`sendAndSpool`). */
export interface SpooledVendorResponse extends VendorResponse {
  size: number;
}

/** What `withRetries` needs to know about the call it repeats. */
export interface RetriedCall {
  call: string;
  signal?: AbortSignal;
  maxAttempts?: number;
}

export interface VendorHttpClientOptions {
  authorize?: RequestAuthorizer;
  /** Covers the whole exchange of one attempt, body included. */
  timeoutMs?: number;
  logger?: Logger;
  /** Fields left out keep DEFAULT_RETRY_POLICY's (4 attempts, 1 s doubling to 30 s, Retry-After up to 120 s). */
  retry?: Partial<RetryPolicy>;
  /** Default for `send` and `sendAndSpool` (512 MiB); a request's own value wins. */
  maxResponseBytes?: number;
  /**
   * The vendor endpoint this client calls, e.g. `vendorRateLimitKey('huawei.apig', endpoint)`.
   * Clients with the same key share one rate limit and concurrency; without a key, no limit.
   */
  rateLimitKey?: string;
  /** Fields left out keep DEFAULT_VENDOR_RATE_LIMIT's. The last client built for a key sets its limit. */
  rateLimit?: Partial<RateLimit>;
  /** Where the limiters live; the process-wide registry unless a test brings its own. */
  rateLimiters?: VendorRateLimiters;
  /** Where `sendAndSpool` copies bodies; the OS temp directory by default. */
  spoolDir?: string;
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
 * The one way connectors call a vendor: waits for the vendor's rate limit, signs the exact bytes
 * sent, bounds each attempt in time and the body in size, retries what may pass on a second try
 * (see docs/connectors-http.md), and turns every failure into a VendorCallError naming the call.
 *
 * `send` retries until it has a 2xx whose body looks right, then streams the body: a body that
 * breaks later fails its stream. `fetchBuffered` and `sendAndSpool` read the body inside the
 * retried call, and `withRetries` does the same for any work a connector does with a body.
 */
export class VendorHttpClient {
  private readonly timeoutMs: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly maxResponseBytes: number;
  private readonly limiter: VendorRateLimiter | undefined;
  /** The retried call a send belongs to: sends inside withRetries leave retrying to it. */
  private readonly currentCall = new AsyncLocalStorage<CallRetries>();

  constructor(private readonly options: VendorHttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_VENDOR_CALL_TIMEOUT_MS;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...definedFields(options.retry ?? {}) };
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.limiter =
      options.rateLimitKey === undefined
        ? undefined
        : (options.rateLimiters ?? sharedVendorRateLimiters).for(options.rateLimitKey, {
            ...DEFAULT_VENDOR_RATE_LIMIT,
            ...definedFields(options.rateLimit ?? {}),
          });
  }

  /** Sends the request, retrying as the policy allows, and streams back the body of the 2xx. */
  async send(request: VendorRequest): Promise<VendorResponse> {
    return this.withRetries(request, () => this.sendOnce(request));
  }

  /** For listings and pages: the whole body in memory, a body cut short retried like a failed call. */
  async fetchBuffered(request: VendorRequest): Promise<BufferedVendorResponse> {
    const bounded = { ...request, maxResponseBytes: request.maxResponseBytes ?? DEFAULT_MAX_BUFFERED_RESPONSE_BYTES };
    return this.withRetries(request, async () => {
      const response = await this.send(bounded);
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
      return { status: response.status, headers: response.headers, contentType: response.contentType, body: Buffer.concat(chunks) };
    });
  }

  /**
   * For exports: the body is copied to a temp file inside the retried call, so a reset or a
   * truncation half way is retried; the returned body reads the copy. Costs one local copy.
   * With `expect: 'zip'`, a zip without its end record (cut short under a matching
   * Content-Length) is retried too.
   */
  async sendAndSpool(request: VendorRequest): Promise<SpooledVendorResponse> {
    return this.withRetries(request, async () => {
      const response = await this.send(request);
      const spooled = await spoolBody(response.body, this.options.spoolDir ?? tmpdir(), request.expect === 'zip' ? ZIP_END_SEARCH_BYTES : 0);
      if (request.expect === 'zip' && !endsWithZipEndRecord(spooled.tail)) {
        spooled.body.destroy();
        throw new VendorCallError(
          `${request.call}: vendor answered ${response.status} with a zip cut short (${formatBytes(spooled.size)}, no end of central directory)`,
          { call: request.call, code: 'UNEXPECTED_CONTENT', status: response.status, retryable: true },
        );
      }
      return { ...response, body: spooled.body, size: spooled.size };
    });
  }

  /**
   * Runs `work` (calls of this client and the reading of their bodies) again after a retryable
   * VendorCallError, body failures included, with the client's backoff and Retry-After rules.
   * Sends inside make one attempt each: this loop is the only one. Nested calls join the outer
   * loop. A request inside that is not idempotent (and not marked so) stops the retrying.
   */
  async withRetries<T>(call: RetriedCall, work: () => Promise<T>): Promise<T> {
    if (this.currentCall.getStore()) return work();
    const policy = { ...this.retryPolicy, maxAttempts: call.maxAttempts ?? this.retryPolicy.maxAttempts };
    const retries = new CallRetries(call.call, policy, this.options.logger);
    return retries.run(call.signal, () => this.currentCall.run(retries, work));
  }

  /** One attempt, and one more with a renewed credential if the vendor answered 401. */
  private async sendOnce(request: VendorRequest): Promise<VendorResponse> {
    const retries = this.currentCall.getStore();
    if (!retries) throw new Error('VendorHttpClient: sendOnce outside a retried call');
    try {
      return await this.attempt(request, retries);
    } catch (error) {
      const renew = this.options.authorize?.renew;
      if (!renew || retries.renewed || !(error instanceof VendorCallError) || error.extra.status !== 401) throw error;
      retries.renewed = true;
      this.options.logger?.info({ call: request.call, vendorCode: error.extra.vendorCode }, 'vendor answered 401; renewing the credential and retrying once');
      await renew();
      return await this.attempt(request, retries);
    }
  }

  private async attempt(request: VendorRequest, retries: CallRetries): Promise<VendorResponse> {
    const release = await this.waitForRateLimit(request);
    // The slot stays taken while the body streams; every path that does not hand it on frees it.
    let handedOn = false;
    try {
      retries.sending(request.method, request.idempotent);
      const response = await this.exchange(request, release);
      handedOn = true;
      return response;
    } finally {
      if (!handedOn) release();
    }
  }

  private async waitForRateLimit(request: VendorRequest): Promise<ReleaseSlot> {
    if (!this.limiter) return () => undefined;
    try {
      return await this.limiter.acquire(request.signal);
    } catch (cause) {
      throw new VendorCallError(`${request.call}: cancelled while waiting for the rate limit of ${this.limiter.key} (the run was aborted)`, {
        call: request.call,
        code: 'ABORTED',
        cause,
      });
    }
  }

  private async exchange(request: VendorRequest, release: ReleaseSlot): Promise<VendorResponse> {
    const startedAt = Date.now();
    // Signed after the rate-limit wait, per attempt: signature dates and nonces stay fresh.
    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    const headers = { ...request.headers };
    const authHeaders = this.options.authorize
      ? await this.options.authorize({ method: request.method, url: request.url, headers: { ...headers }, body })
      : {};
    const sentHeaders = withoutHostHeader({ ...headers, ...authHeaders });

    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const maxBytes = request.maxResponseBytes ?? this.maxResponseBytes;
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

    const announced = contentLength(response.headers);
    if (announced !== undefined && announced > maxBytes) {
      reader?.cancel().catch(() => undefined);
      throw failures.tooLarge(response.status, maxBytes, `announces ${formatBytes(announced)} (Content-Length)`);
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

    this.options.logger?.debug({ call: request.call, status: response.status, ms: Date.now() - startedAt }, 'vendor call answered');
    if (head.ended) release();
    // A body nobody reads or drops holds its slot until the attempt's timeout at most.
    else signal.addEventListener('abort', release, { once: true });
    return {
      status: response.status,
      headers: response.headers,
      contentType,
      body: readableFromWebBody(head.chunks, head.ended ? null : reader, {
        toError: (cause) => failures.fromThrown(cause, 'reading the response body'),
        maxBytes,
        tooLarge: (bytesSeen) => failures.tooLarge(response.status, maxBytes, `went past it (${formatBytes(bytesSeen)} read)`),
        onClose: release,
      }),
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
      retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
    });
  }

  unexpectedContent(status: number, expected: ExpectedBody, seen: SniffedContent, head: Buffer): VendorCallError {
    const text = head.toString('utf8');
    const { vendorCode, vendorMessage } = seen === 'json' || seen === 'xml' ? parseVendorErrorBody(text) : {};
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

  tooLarge(status: number, maxBytes: number, what: string): VendorCallError {
    return new VendorCallError(`${this.call}: the response body ${what}, over the ${formatBytes(maxBytes)} limit (maxResponseBytes)`, {
      call: this.call,
      code: 'RESPONSE_TOO_LARGE',
      status,
    });
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

function contentLength(headers: Headers): number | undefined {
  const value = headers.get('content-length')?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Options objects may carry `undefined` for "not set"; spreading those would erase defaults. */
function definedFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
