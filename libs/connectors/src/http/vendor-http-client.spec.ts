import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { VendorCallError } from '../errors.js';
import { zipOf } from '../test/zip-fixtures.js';
import { VendorHttpClient, type SignableRequest, type VendorRequest } from './vendor-http-client.js';

const CALL = 'POST /v1/{project_id}/connections/export';
const SIGNATURE = 'Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
const AUTHORIZATION = `SDK-HMAC-SHA256 Access=AK-TEST-1234, SignedHeaders=host;x-sdk-date, ${SIGNATURE}`;
const ZIP = zipOf({ 'connections/a.conn': '{"name":"a"}' });

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
const routes = new Map<string, Handler>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => routes.get(req.url ?? '')?.(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const signed: SignableRequest[] = [];
const client = new VendorHttpClient({
  authorize: (request) => {
    signed.push(request);
    return { Authorization: AUTHORIZATION, 'X-Sdk-Date': '20240101T000000Z' };
  },
  timeoutMs: 2_000,
  // One exchange per call: retries have their own suite (vendor-http-client.retries.spec.ts).
  retry: { maxAttempts: 1 },
});

function send(path: string, extra: Partial<VendorRequest> = {}) {
  return client.send({ call: CALL, method: 'POST', url: `${base}${path}`, expect: 'zip', ...extra });
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

describe('VendorHttpClient', () => {
  it('streams a zip back and signs the exact bytes it sends', async () => {
    let received: { headers: IncomingMessage['headers']; body: string } | undefined;
    routes.set('/ok', (req, res, body) => {
      received = { headers: req.headers, body: body.toString() };
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="x.zip"' });
      res.end(ZIP);
    });
    const response = await send('/ok', { headers: { workspace: 'ws-1' }, body: '{"a":"中"}' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('x.zip');
    expect((await drain(response.body)).equals(ZIP)).toBe(true);
    expect(signed.at(-1)).toMatchObject({ method: 'POST', url: `${base}/ok`, headers: { workspace: 'ws-1' } });
    expect(signed.at(-1)?.body?.toString()).toBe('{"a":"中"}');
    expect(received).toMatchObject({ body: '{"a":"中"}', headers: { workspace: 'ws-1', authorization: AUTHORIZATION } });
  });

  it('refuses an HTML page answered with 200, even under a binary content type', async () => {
    const page = '<!DOCTYPE html><html><head><title>Huawei Cloud - Sign In</title></head><body>...</body></html>';
    routes.set('/html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    routes.set('/html-as-octets', (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(`\n  ${page}`));
    for (const path of ['/html', '/html-as-octets']) {
      const error = await failure(send(path));
      expect(error.code).toBe('UNEXPECTED_CONTENT');
      expect(error.message).toBe(
        `${CALL}: vendor answered 200 with an HTML page instead of a zip: title: "Huawei Cloud - Sign In"`,
      );
      expect(error.toDetails()).toMatchObject({ stage: 'fetch', call: CALL, status: 200 });
    }
  });

  it('refuses a JSON error answered with 200 where a zip was expected, keeping the vendor code', async () => {
    routes.set('/json-200', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"error_code":"DLF.6322","error_msg":"connection does not exist"}'),
    );
    const error = await failure(send('/json-200'));
    expect(error.code).toBe('UNEXPECTED_CONTENT');
    expect(error.extra.vendorCode).toBe('DLF.6322');
    expect(error.message).toContain('with a JSON document instead of a zip');
  });

  it('reports a Huawei error body on 401 with its code, without our auth headers', async () => {
    routes.set('/401', (req, res) =>
      res.writeHead(401, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error_code: 'APIG.1002',
          error_msg: `Incorrect token or token resolution failed; received Authorization: ${req.headers.authorization}`,
        }),
      ),
    );
    const error = await failure(send('/401'));
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.toDetails()).toMatchObject({ stage: 'fetch', call: CALL, status: 401, vendorCode: 'APIG.1002' });
    expect(error.message).toMatch(/^POST \/v1\/\{project_id\}\/connections\/export: vendor answered 401 APIG\.1002: Incorrect token/);
    expect(error.message).not.toContain('AK-TEST-1234');
    expect(error.message).not.toContain(SIGNATURE.slice('Signature='.length));
    expect(error.message.length).toBeLessThan(CALL.length + 260);
    expect(error.retryable).toBe(false);
  });

  it('reads an Alibaba error body and a Retry-After on 429', async () => {
    routes.set('/429', (_req, res) =>
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' }).end(
        '{"RequestId":"1","Code":"Throttling.User","Message":"Request was denied due to user flow control."}',
      ),
    );
    const error = await failure(send('/429'));
    expect(error.extra).toMatchObject({ status: 429, vendorCode: 'Throttling.User' });
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('reads the vendor code of an Alibaba error answered in XML (Format=XML), on an error status and under a 200', async () => {
    const xml = (code: string, message: string) =>
      `<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>1</RequestId><HostId>h</HostId><Code>${code}</Code><Message>${message}</Message></Error>`;
    routes.set('/xml-429', (_req, res) =>
      res.writeHead(429, { 'content-type': 'text/xml;charset=utf-8', 'retry-after': '2' }).end(xml('Throttling.User', 'Request was denied due to user flow control.')),
    );
    routes.set('/xml-200', (_req, res) => res.writeHead(200, { 'content-type': 'text/xml;charset=utf-8' }).end(xml('Forbidden.Access', 'You are not authorized &amp; logged.')));

    const throttled = await failure(send('/xml-429'));
    expect(throttled.toDetails()).toMatchObject({ stage: 'fetch', code: 'HTTP_ERROR', call: CALL, status: 429, vendorCode: 'Throttling.User' });
    expect(throttled.message).toBe(`${CALL}: vendor answered 429 Throttling.User: Request was denied due to user flow control.`);
    expect([throttled.retryable, throttled.retryAfterMs]).toEqual([true, 2_000]);

    const refused = await failure(send('/xml-200', { expect: 'json' }));
    expect(refused.toDetails()).toMatchObject({ code: 'UNEXPECTED_CONTENT', status: 200, vendorCode: 'Forbidden.Access' });
    expect(refused.message).toBe(`${CALL}: vendor answered 200 with an XML document instead of a JSON document (vendor code Forbidden.Access): You are not authorized & logged.`);
  });

  it('keeps a long error body excerpt short and on one line', async () => {
    routes.set('/500', (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`boom\n${'x'.repeat(10_000)}`));
    const error = await failure(send('/500'));
    expect(error.message).toMatch(/vendor answered 500: boom x+…$/);
    expect(error.message.length).toBeLessThan(CALL.length + 230);
    expect(error.retryable).toBe(true);
  });

  it('does not follow a redirect (a login wall), and hides its query', async () => {
    routes.set('/redirect', (_req, res) => res.writeHead(302, { location: 'https://auth.example.com/login?ticket=SECRET-TICKET' }).end());
    const error = await failure(send('/redirect'));
    expect(error.message).toBe(`${CALL}: vendor answered 302: redirect to https://auth.example.com/login`);
  });

  it('times out a call that gets no answer', async () => {
    routes.set('/silent', () => undefined);
    const error = await failure(send('/silent', { timeoutMs: 200 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(`${CALL}: no complete answer within 200 ms (timed out while sending the request)`);
    expect(error.retryable).toBe(true);
  });

  it('times out a body that stalls half way, on the stream', async () => {
    routes.set('/stall', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(ZIP.length * 10) });
      res.write(ZIP);
    });
    const response = await send('/stall', { timeoutMs: 300 });
    const error = await failure(drain(response.body));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('while reading the response body');
  });

  it('fails the stream with NETWORK when the connection is reset mid-body', async () => {
    routes.set('/reset', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000000' });
      res.write(Buffer.concat([ZIP, Buffer.alloc(64 * 1024)]), () => setTimeout(() => req.socket.destroy(), 20));
    });
    const response = await send('/reset');
    const error = await failure(drain(response.body));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/^POST \/v1\/\{project_id\}\/connections\/export: network error while reading the response body: /);
    expect(error.retryable).toBe(true);
  });

  it('reports a refused connection as NETWORK', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(client.send({ call: CALL, method: 'POST', url: `http://127.0.0.1:${port}/x`, expect: 'zip' }));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a cancelled run as ABORTED, not as a timeout', async () => {
    routes.set('/slow', () => undefined);
    const run = new AbortController();
    setTimeout(() => run.abort(), 50);
    const error = await failure(send('/slow', { signal: run.signal }));
    expect(error.code).toBe('ABORTED');
    expect(error.retryable).toBe(false);
  });
});
