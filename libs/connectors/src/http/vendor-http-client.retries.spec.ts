import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { VendorCallError } from '../errors.js';
import { zipOf } from '../test/zip-fixtures.js';
import { capturedLogger, cutBody, RouteServer } from './test/route-server.js';
import { VendorHttpClient, type RequestAuthorizer, type VendorHttpClientOptions, type VendorRequest } from './vendor-http-client.js';

const CALL = 'GET /v2/{project_id}/apigw/instances/{instance_id}/api-groups';
const EXPORT = 'POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/export';
const TOKEN = 'MIIEhAYJKoZIhvcNAQcCoIIEdTCCBHECAQExDTALBglghkgBZQMEAgEwggLy';
const BUSY = '{"error_code":"APIG.9999","error_msg":"The system is busy."}';
const GROUPS = JSON.stringify({ total: 3, groups: [{ id: 'g1' }, { id: 'g2' }, { id: 'g3' }], padding: 'p'.repeat(4000) });
const ZIP = zipOf({ 'connections/a.conn': `{"name":"a","pad":"${'z'.repeat(20_000)}"}` });

let server: RouteServer;
beforeAll(async () => {
  server = await RouteServer.start();
});
afterAll(() => server.close());

const fast = { baseDelayMs: 20, maxDelayMs: 200 };

function clientWith(options: VendorHttpClientOptions = {}) {
  const log = capturedLogger();
  const client = new VendorHttpClient({
    authorize: () => ({ 'X-Auth-Token': TOKEN }),
    timeoutMs: 2_000,
    logger: log.logger,
    retry: fast,
    ...options,
  });
  return { client, log, retries: () => log.lines.filter((line) => line.msg === 'vendor call failed; retrying') };
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

const json = (status: number, body: string, headers: Record<string, string> = {}) =>
  [status, { 'content-type': 'application/json', ...headers }, body] as const;

describe('VendorHttpClient retries', () => {
  it('retries a 503 and logs each retry at warn without any header', async () => {
    const url = server.route('/busy-twice', (_req, res, _body, hit) => {
      const [status, headers, body] = hit <= 2 ? json(503, BUSY) : json(200, GROUPS);
      res.writeHead(status, headers).end(body);
    });
    const { client, log, retries } = clientWith();
    const response = await client.fetchBuffered(get(url));
    expect(response.body.toString()).toBe(GROUPS);
    expect(server.hitsOf('/busy-twice')).toBe(3);
    expect(retries().map(({ call, attempt, maxAttempts, status, vendorCode, code, level }) => ({ call, attempt, maxAttempts, status, vendorCode, code, level }))).toEqual([
      { call: CALL, attempt: 1, maxAttempts: 4, status: 503, vendorCode: 'APIG.9999', code: 'HTTP_ERROR', level: 40 },
      { call: CALL, attempt: 2, maxAttempts: 4, status: 503, vendorCode: 'APIG.9999', code: 'HTTP_ERROR', level: 40 },
    ]);
    for (const line of retries()) expect(typeof line.waitMs).toBe('number');
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain(url);
  });

  it('honours Retry-After in seconds, measured', async () => {
    const url = server.route('/throttled-1s', (_req, res, _body, hit) => {
      const [status, headers, body] =
        hit === 1 ? json(429, '{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}', { 'retry-after': '1' }) : json(200, GROUPS);
      res.writeHead(status, headers).end(body);
    });
    const { client, retries } = clientWith();
    const started = Date.now();
    await client.fetchBuffered(get(url));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(retries()).toEqual([expect.objectContaining({ status: 429, vendorCode: 'Throttling.User', waitMs: 1_000, basis: 'retry-after' })]);
  });

  it('honours Retry-After as an HTTP date, measured', async () => {
    let asked = 0;
    const url = server.route('/throttled-date', (_req, res, _body, hit) => {
      if (hit > 1) return void res.writeHead(200, { 'content-type': 'application/json' }).end(GROUPS);
      const at = Math.ceil((Date.now() + 600) / 1000) * 1000;
      asked = at;
      res.writeHead(503, { 'retry-after': new Date(at).toUTCString() }).end();
    });
    const { client, retries } = clientWith();
    await client.fetchBuffered(get(url));
    expect(server.arrivals.filter((a) => a.path === '/throttled-date').at(-1)!.at).toBeGreaterThanOrEqual(asked);
    expect(retries()[0]).toMatchObject({ basis: 'retry-after', status: 503 });
    expect(retries()[0].waitMs).toBeGreaterThanOrEqual(500);
  });

  it('backs off with growing full-jitter waits, then fails naming the call, status, vendor code and attempts', async () => {
    const url = server.route('/always-busy', (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end(BUSY));
    const { client, retries } = clientWith({ retry: { maxAttempts: 5, baseDelayMs: 40, maxDelayMs: 100 } });
    const started = Date.now();
    const error = await failure(client.send(get(url)));
    const elapsed = Date.now() - started;

    expect(server.hitsOf('/always-busy')).toBe(5);
    const waits = retries().map((line) => line.waitMs as number);
    expect(waits).toHaveLength(4);
    [40, 80, 100, 100].forEach((ceiling, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(0);
      expect(waits[i]).toBeLessThan(ceiling);
    });
    expect(elapsed).toBeGreaterThanOrEqual(waits.reduce((a, b) => a + b, 0));
    expect(error.message).toBe(`${CALL}: vendor answered 503 APIG.9999: The system is busy. (gave up after 5 attempts)`);
    expect(error.toDetails()).toEqual({
      stage: 'fetch',
      code: 'HTTP_ERROR',
      message: error.message,
      call: CALL,
      status: 503,
      vendorCode: 'APIG.9999',
      attempts: 5,
    });
    expect(error.attempts).toBe(5);
  });

  it.each([
    [400, 'APIG.2001'],
    [403, 'APIG.1005'],
    [404, 'APIG.3001'],
  ])('does not retry a %i', async (status, code) => {
    const path = `/answer-${status}`;
    const url = server.route(path, (_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(`{"error_code":"${code}","error_msg":"no"}`));
    const { client, retries } = clientWith();
    const error = await failure(client.fetchBuffered(get(url)));
    expect(server.hitsOf(path)).toBe(1);
    expect(retries()).toEqual([]);
    expect(error.message).toBe(`${CALL}: vendor answered ${status} ${code}: no`);
  });

  it('never repeats a POST unless the request is marked idempotent', async () => {
    const url = server.route('/export-busy', (_req, res, _body, hit) =>
      hit <= 2 ? res.writeHead(503, { 'content-type': 'application/json' }).end(BUSY) : res.writeHead(200, { 'content-type': 'application/zip' }).end(ZIP),
    );
    const { client } = clientWith();
    const error = await failure(client.send({ call: EXPORT, method: 'POST', url, expect: 'zip' }));
    expect(server.hitsOf('/export-busy')).toBe(1);
    expect(error.message).toBe(
      `${EXPORT}: vendor answered 503 APIG.9999: The system is busy. (not retried: a POST is repeated only when the request is marked idempotent; 1 attempt)`,
    );

    const response = await client.send({ call: EXPORT, method: 'POST', url, expect: 'zip', idempotent: true });
    expect((await drain(response.body)).equals(ZIP)).toBe(true);
    expect(server.hitsOf('/export-busy')).toBe(3);
  });

  it('fails at once when Retry-After asks for more than the allowed wait', async () => {
    const url = server.route('/come-back-later', (_req, res) =>
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '300' }).end('{"Code":"Throttling.Api","Message":"slow down"}'),
    );
    const { client } = clientWith();
    const started = Date.now();
    const error = await failure(client.fetchBuffered(get(url)));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.hitsOf('/come-back-later')).toBe(1);
    expect(error.message).toBe(
      `${CALL}: vendor answered 429 Throttling.Api: slow down (not retried: the vendor asked to wait 300 s, more than the 120 s allowed (maxRetryAfterMs); 1 attempt)`,
    );
    expect(error.retryAfterMs).toBe(300_000);
  });

  it('retries a timeout and a reset before the answer', async () => {
    const url = server.route('/flaky', (req, res, _body, hit) => {
      if (hit === 1) return; // no answer: the attempt times out
      if (hit === 2) return void req.socket.resetAndDestroy();
      res.writeHead(200, { 'content-type': 'application/json' }).end(GROUPS);
    });
    const { client, retries } = clientWith({ timeoutMs: 200 });
    const response = await client.fetchBuffered(get(url));
    expect(response.body.toString()).toBe(GROUPS);
    expect(retries().map((line) => line.code)).toEqual(['TIMEOUT', 'NETWORK']);
  });

  it('renews the credential once after a 401 and resends', async () => {
    let token = 'stale-token-000000';
    let renewals = 0;
    const authorize: RequestAuthorizer = Object.assign(() => ({ 'X-Auth-Token': token }), {
      renew: async () => {
        renewals++;
        token = 'fresh-token-111111';
      },
    });
    const url = server.route('/needs-fresh', (req, res) =>
      req.headers['x-auth-token'] === 'fresh-token-111111'
        ? res.writeHead(200, { 'content-type': 'application/json' }).end(GROUPS)
        : res.writeHead(401, { 'content-type': 'application/json' }).end('{"error_code":"APIG.1002","error_msg":"Incorrect token"}'),
    );
    const { client } = clientWith({ authorize });
    const response = await client.fetchBuffered({ call: EXPORT, method: 'POST', url, expect: 'json' });
    expect(response.body.toString()).toBe(GROUPS);
    expect([renewals, server.hitsOf('/needs-fresh')]).toEqual([1, 2]);
  });

  it('renews only once when the renewed credential is refused too', async () => {
    let renewals = 0;
    const authorize: RequestAuthorizer = Object.assign(() => ({ 'X-Auth-Token': TOKEN }), { renew: async () => void renewals++ });
    const url = server.route('/always-401', (_req, res) =>
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error_code":"APIG.1002","error_msg":"Incorrect token"}'),
    );
    const { client } = clientWith({ authorize });
    const error = await failure(client.send(get(url)));
    expect([renewals, server.hitsOf('/always-401')]).toEqual([1, 2]);
    expect(error.message).toBe(`${CALL}: vendor answered 401 APIG.1002: Incorrect token (after 2 attempts)`);
  });

  it('stops promptly when the run is aborted during a wait', async () => {
    const url = server.route('/retry-in-10s', (_req, res) => res.writeHead(429, { 'retry-after': '10' }).end());
    const { client } = clientWith();
    const run = new AbortController();
    setTimeout(() => run.abort(), 100);
    const started = Date.now();
    const error = await failure(client.send(get(url, { signal: run.signal })));
    expect(Date.now() - started).toBeLessThan(600);
    expect(error.code).toBe('ABORTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(new RegExp(`^${escape(CALL)}: cancelled while waiting 10 s to retry \\(the run was aborted\\); last failure: .*429`));
    expect(server.hitsOf('/retry-in-10s')).toBe(1);
  });
});

describe('VendorHttpClient whole-call retries (bodies that break after the answer)', () => {
  it.each([
    ['truncated', 'truncate'],
    ['reset', 'reset'],
  ] as const)('fetchBuffered retries a %s body', async (_label, how) => {
    const path = `/groups-${how}`;
    const url = server.route(path, (req, res, _body, hit) =>
      hit === 1 ? cutBody(req, res, Buffer.from(GROUPS), 'application/json', how) : res.writeHead(200, { 'content-type': 'application/json' }).end(GROUPS),
    );
    const { client, retries } = clientWith();
    const response = await client.fetchBuffered(get(url));
    expect(response.body.toString()).toBe(GROUPS);
    expect(server.hitsOf(path)).toBe(2);
    expect(retries().map((line) => [line.code, line.status])).toEqual([['NETWORK', undefined]]);
  });

  it('sendAndSpool retries a broken export body and leaves no file behind', async () => {
    const spoolDir = await mkdtemp(join(tmpdir(), 'vendor-http-spool-'));
    try {
      const url = server.route('/export-cut', (req, res, _body, hit) =>
        hit === 1 ? cutBody(req, res, ZIP, 'application/octet-stream', 'reset') : res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(ZIP),
      );
      const { client } = clientWith({ spoolDir });
      const response = await client.sendAndSpool({ call: EXPORT, method: 'POST', url, expect: 'zip', idempotent: true });
      expect(await readdir(spoolDir)).toEqual([]);
      expect(response.size).toBe(ZIP.length);
      expect((await drain(response.body)).equals(ZIP)).toBe(true);
      expect(server.hitsOf('/export-cut')).toBe(2);
    } finally {
      await rm(spoolDir, { recursive: true, force: true });
    }
  });

  it('sendAndSpool retries a zip cut short under a Content-Length that agrees with it', async () => {
    const half = ZIP.subarray(0, ZIP.length >> 1);
    const url = server.route('/export-half', (_req, res, _body, hit) =>
      hit === 1
        ? res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(half.length) }).end(half)
        : res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(ZIP),
    );
    const { client, retries } = clientWith();
    const response = await client.sendAndSpool({ call: EXPORT, method: 'POST', url, expect: 'zip', idempotent: true });
    expect((await drain(response.body)).equals(ZIP)).toBe(true);
    expect(server.hitsOf('/export-half')).toBe(2);
    expect(retries().map((line) => [line.code, line.status])).toEqual([['UNEXPECTED_CONTENT', 200]]);
  });

  it('sendAndSpool names a zip that stays cut short', async () => {
    const half = ZIP.subarray(0, ZIP.length >> 1);
    const url = server.route('/export-always-half', (_req, res) => res.writeHead(200, { 'content-type': 'application/zip' }).end(half));
    const { client } = clientWith({ retry: { ...fast, maxAttempts: 2 } });
    const error = await failure(client.sendAndSpool({ call: EXPORT, method: 'POST', url, expect: 'zip', idempotent: true }));
    expect(error.message).toBe(`${EXPORT}: vendor answered 200 with a zip cut short (${half.length} bytes, no end of central directory) (gave up after 2 attempts)`);
  });

  it('sendAndSpool does not repeat an unmarked POST whose body broke', async () => {
    const url = server.route('/export-cut-unsafe', (req, res) => cutBody(req, res, ZIP, 'application/octet-stream', 'truncate'));
    const { client } = clientWith();
    const error = await failure(client.sendAndSpool({ call: EXPORT, method: 'POST', url, expect: 'zip' }));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toContain('while reading the response body');
    expect(error.message).toContain('(not retried: a POST is repeated only when the request is marked idempotent; 1 attempt)');
    expect(server.hitsOf('/export-cut-unsafe')).toBe(1);
  });

  it('withRetries repeats a call whose body the connector reads, with one retry loop for nested sends', async () => {
    const url = server.route('/pages', (req, res, _body, hit) => {
      if (hit === 1) return cutBody(req, res, Buffer.from(GROUPS), 'application/json', 'reset');
      if (hit === 2) return void res.writeHead(503, { 'content-type': 'application/json' }).end(BUSY);
      res.writeHead(200, { 'content-type': 'application/json' }).end(GROUPS);
    });
    const { client, retries } = clientWith({ retry: { ...fast, maxAttempts: 3 } });
    const parsed = await client.withRetries({ call: CALL }, async () => {
      const response = await client.send(get(url));
      return JSON.parse((await drain(response.body)).toString()) as { total: number };
    });
    expect(parsed.total).toBe(3);
    expect(server.hitsOf('/pages')).toBe(3);
    expect(retries().map((line) => [line.attempt, line.code])).toEqual([
      [1, 'NETWORK'],
      [2, 'HTTP_ERROR'],
    ]);
  });

  it('withRetries counts every send of a failing call once: maxAttempts, not maxAttempts squared', async () => {
    const url = server.route('/nested-busy', (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end(BUSY));
    const { client } = clientWith({ retry: { ...fast, maxAttempts: 3 } });
    const error = await failure(client.withRetries({ call: CALL }, () => client.fetchBuffered(get(url))));
    expect(server.hitsOf('/nested-busy')).toBe(3);
    expect(error.message).toContain('(gave up after 3 attempts)');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
