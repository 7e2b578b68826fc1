import type { Readable } from 'node:stream';
import { VendorCallError } from '../errors.js';
import { RouteServer } from './test/route-server.js';
import { VendorHttpClient, type VendorHttpClientOptions, type VendorRequest } from './vendor-http-client.js';
import { VendorRateLimiters } from './vendor-rate-limiter.js';

const CALL = 'GET /v2/{project_id}/apigw/instances/{instance_id}/api-groups';
const KEY = 'huawei.apig:apig.test';

let server: RouteServer;
beforeAll(async () => {
  server = await RouteServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.resetCounters());

function clientWith(options: VendorHttpClientOptions = {}) {
  return new VendorHttpClient({ timeoutMs: 5_000, retry: { baseDelayMs: 20 }, ...options });
}

function get(url: string, extra: Partial<VendorRequest> = {}): VendorRequest {
  return { call: CALL, method: 'GET', url, expect: 'json', ...extra };
}

async function failure(promise: Promise<unknown>): Promise<VendorCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VendorCallError);
  return error as VendorCallError;
}

async function drain(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const okAfter = (ms: number) => server.route(`/ok-after-${ms}`, (_req, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), ms));

describe('VendorHttpClient rate limits', () => {
  it('starts no more calls per second than the limit, across the whole batch', async () => {
    const url = okAfter(0);
    const client = clientWith({ rateLimitKey: KEY, rateLimit: { perSecond: 5, concurrency: 20 }, rateLimiters: new VendorRateLimiters() });
    const started = Date.now();
    await Promise.all(Array.from({ length: 11 }, () => client.fetchBuffered(get(url))));
    // 5 at once, 5 a second later, the 11th a second after that.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_950);
    const at = server.arrivals.map((a) => a.at);
    // Measured where the vendor is: no second holds a sixth arrival (network jitter aside).
    for (let i = 0; i + 5 < at.length; i++) expect(at[i + 5] - at[i]).toBeGreaterThanOrEqual(900);
  });

  it('never has more than `concurrency` calls in flight, measured by the server, shared by clients of one key', async () => {
    const url = okAfter(80);
    const limiters = new VendorRateLimiters();
    const options = { rateLimitKey: KEY, rateLimit: { perSecond: 1000, concurrency: 2 }, rateLimiters: limiters };
    const [a, b] = [clientWith(options), clientWith(options)];
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).fetchBuffered(get(url))));
    expect(server.maxInFlight).toBe(2);
    expect(server.arrivals).toHaveLength(8);
  });

  it('lets clients of another key run alongside', async () => {
    const url = okAfter(80);
    const limiters = new VendorRateLimiters();
    const limit = { perSecond: 1000, concurrency: 1 };
    const a = clientWith({ rateLimitKey: 'huawei.apig:one', rateLimit: limit, rateLimiters: limiters });
    const b = clientWith({ rateLimitKey: 'huawei.apig:two', rateLimit: limit, rateLimiters: limiters });
    await Promise.all([a.fetchBuffered(get(url)), b.fetchBuffered(get(url))]);
    expect(server.maxInFlight).toBe(2);
  });

  it('holds the slot while a streamed body is unread, and frees it when the body is read', async () => {
    let finishFirst: () => void = () => undefined;
    const slow = server.route('/streaming', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"part":"${'a'.repeat(100)}`);
      finishFirst = () => res.end('"}');
    });
    const quick = okAfter(0);
    const client = clientWith({ rateLimitKey: KEY, rateLimit: { perSecond: 1000, concurrency: 1 }, rateLimiters: new VendorRateLimiters() });
    const first = await client.send(get(slow));
    const second = client.fetchBuffered(get(quick));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.arrivals.map((a) => a.path)).toEqual(['/streaming']);
    finishFirst();
    await drain(first.body);
    await second;
    expect(server.arrivals.map((a) => a.path)).toEqual(['/streaming', '/ok-after-0']);
    expect(server.maxInFlight).toBe(1);
  });

  it('stops waiting for a slot when the run is aborted', async () => {
    const url = okAfter(400);
    const client = clientWith({ rateLimitKey: KEY, rateLimit: { perSecond: 1000, concurrency: 1 }, rateLimiters: new VendorRateLimiters() });
    const busy = client.fetchBuffered(get(url));
    const run = new AbortController();
    setTimeout(() => run.abort(), 50);
    const started = Date.now();
    const error = await failure(client.fetchBuffered(get(url, { signal: run.signal })));
    expect(Date.now() - started).toBeLessThan(500);
    expect(error.code).toBe('ABORTED');
    expect(error.message).toBe(`${CALL}: cancelled while waiting for the rate limit of ${KEY} (the run was aborted)`);
    await busy;
  });
});

describe('VendorHttpClient response size limits', () => {
  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const url = server.route('/huge-announced', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(600 * 1024 * 1024) });
      res.write(Buffer.from('PK\u0003\u0004'));
      // ...and nothing more: a client that waited for the body would time out.
    });
    const started = Date.now();
    const error = await failure(clientWith().send({ call: CALL, method: 'GET', url, expect: 'zip' }));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    expect(error.message).toBe(`${CALL}: the response body announces 600 MiB (Content-Length), over the 512 MiB limit (maxResponseBytes)`);
    expect(server.arrivals).toHaveLength(1);
  });

  it('fails the stream once the bytes actually read pass the limit, when no length was announced', async () => {
    const url = server.route('/chunked-big', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`[${'1,'.repeat(2_000)}`);
      res.end('1]');
    });
    const response = await clientWith().send(get(url, { maxResponseBytes: 1_000 }));
    const error = await failure(drain(response.body));
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    expect(error.message).toMatch(/^GET .*: the response body went past it \(\d.* read\), over the 1000 bytes limit \(maxResponseBytes\)$/);
  });

  it('bounds fetchBuffered by 32 MiB by default and by the request, and never retries a body too large', async () => {
    const body = JSON.stringify({ items: 'x'.repeat(5_000) });
    const url = server.route('/listing', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) }).end(body),
    );
    const client = clientWith();
    expect((await client.fetchBuffered(get(url))).body.toString()).toBe(body);
    const error = await failure(client.fetchBuffered(get(url, { maxResponseBytes: 4_096 })));
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    expect(error.message).toContain('announces 4.9 KiB (Content-Length), over the 4 KiB limit');
    expect(server.hitsOf('/listing')).toBe(2);
  });

  it('uses the client default for send', async () => {
    const url = server.route('/medium', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`["${'m'.repeat(3_000)}"]`));
    const client = clientWith({ maxResponseBytes: 2_048 });
    const error = await failure(client.send(get(url)).then((response) => drain(response.body)));
    expect(error.message).toContain('over the 2 KiB limit');
  });
});

describe('VendorHttpClient content checks under retries', () => {
  it('still refuses an HTML page answered with 200, without retrying it', async () => {
    const url = server.route('/login-wall', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>Sign In</title></head></html>'),
    );
    const error = await failure(clientWith().fetchBuffered(get(url)));
    expect(error.code).toBe('UNEXPECTED_CONTENT');
    expect(error.message).toBe(`${CALL}: vendor answered 200 with an HTML page instead of a JSON document: title: "Sign In"`);
    expect(server.hitsOf('/login-wall')).toBe(1);
  });
});
