import { signHuaweiRequest, verifyHuaweiSignature, type HttpRequestToSign } from './index.js';
import { officialHuaweiSign } from '../../../test/support/official-huawei-signer.js';

const cred = { accessKeyId: 'AK-SIM-1', secretAccessKey: 'SK-SIM-1-secret' };
const secrets: Record<string, string> = { [cred.accessKeyId]: cred.secretAccessKey };
const lookup = (ak: string) => secrets[ak];
const now = new Date('2024-03-05T06:07:08Z');

/** What a Node server sees: lower-cased header names, the Host header, the raw path and body. */
function asReceived(req: HttpRequestToSign, signed: Record<string, string>): HttpRequestToSign {
  const url = new URL(req.url);
  const headers: Record<string, string> = { host: url.host, 'content-length': String(Buffer.byteLength(req.body ?? '')) };
  for (const [name, value] of Object.entries({ ...req.headers, ...signed })) headers[name.toLowerCase()] = value;
  return { method: req.method, url: `http://${headers.host}${url.pathname}${url.search}`, headers, body: req.body };
}

const request: HttpRequestToSign = {
  method: 'POST',
  url: 'http://127.0.0.1:9090/v1/0123456789abcdef0123456789abcdef/connections/export?x=中文',
  headers: { 'Content-Type': 'application/json', workspace: 'ws-01' },
  body: '{"a":1}',
};
const signedRequest = asReceived(request, signHuaweiRequest(request, cred, now));

describe('verifyHuaweiSignature', () => {
  it('accepts a valid request, within the allowed clock skew', () => {
    expect(verifyHuaweiSignature(signedRequest, lookup, { now })).toEqual({ ok: true, accessKeyId: cred.accessKeyId });
    const later = new Date(now.getTime() + 14 * 60_000);
    expect(verifyHuaweiSignature(signedRequest, lookup, { now: later }).ok).toBe(true);
  });

  it('accepts a request signed by the official SDK signer', () => {
    const official = officialHuaweiSign({
      method: 'POST',
      endpoint: 'http://127.0.0.1:9090/v1/p/connections/export',
      headers: { 'Content-Type': 'application/json' },
      json: { a: '中' },
      sdkDate: '20240305T060708Z',
      ...cred,
    });
    const received = asReceived({ method: 'POST', url: 'http://127.0.0.1:9090/v1/p/connections/export', headers: {}, body: '{"a":"中"}' }, official);
    expect(verifyHuaweiSignature(received, lookup, { now })).toEqual({ ok: true, accessKeyId: cred.accessKeyId });
  });

  it('rejects a signature made with the wrong secret', () => {
    const forged = asReceived(request, signHuaweiRequest(request, { ...cred, secretAccessKey: 'wrong' }, now));
    expect(verifyHuaweiSignature(forged, lookup, { now })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a changed body, path, query, method or signed header', () => {
    const changes: HttpRequestToSign[] = [
      { ...signedRequest, body: '{"a":2}' },
      { ...signedRequest, url: signedRequest.url.replace('/export', '/import') },
      { ...signedRequest, url: signedRequest.url.replace('x=', 'y=') },
      { ...signedRequest, method: 'PUT' },
      { ...signedRequest, headers: { ...signedRequest.headers, workspace: 'ws-02' } },
      { ...signedRequest, headers: { ...signedRequest.headers, host: 'evil.example.com:9090' } },
    ];
    for (const changed of changes) expect(verifyHuaweiSignature(changed, lookup, { now })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a declared payload hash that is not the body hash', () => {
    const req = { ...request, headers: { ...request.headers, 'X-Sdk-Content-Sha256': '0'.repeat(64) } };
    const received = asReceived(req, signHuaweiRequest(req, cred, now));
    expect(verifyHuaweiSignature(received, lookup, { now })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a date older or newer than 15 minutes', () => {
    const stale = asReceived(request, signHuaweiRequest(request, cred, new Date(now.getTime() - 16 * 60_000)));
    expect(verifyHuaweiSignature(stale, lookup, { now })).toEqual({ ok: false, reason: 'stale-date' });
    const future = asReceived(request, signHuaweiRequest(request, cred, new Date(now.getTime() + 16 * 60_000)));
    expect(verifyHuaweiSignature(future, lookup, { now })).toEqual({ ok: false, reason: 'stale-date' });
    expect(verifyHuaweiSignature(stale, lookup, { now, maxSkewSeconds: 3600 }).ok).toBe(true);
  });

  it('rejects an unknown access key', () => {
    const unknown = asReceived(request, signHuaweiRequest(request, { ...cred, accessKeyId: 'AK-NOBODY' }, now));
    expect(verifyHuaweiSignature(unknown, lookup, { now })).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('reports a missing Authorization header', () => {
    const { authorization: _, ...headers } = signedRequest.headers;
    expect(verifyHuaweiSignature({ ...signedRequest, headers }, lookup, { now })).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['another scheme', (a: string) => a.replace('SDK-HMAC-SHA256', 'AWS4-HMAC-SHA256')],
    ['no signature', (a: string) => a.replace(/, Signature=.*/, '')],
    ['a short signature', (a: string) => a.slice(0, -2)],
    ['host not signed', (a: string) => a.replace('host;', '')],
    ['garbage', () => 'SDK-HMAC-SHA256 nonsense'],
  ])('rejects a malformed Authorization header: %s', (_, mangle) => {
    const headers = { ...signedRequest.headers, authorization: mangle(signedRequest.headers.authorization) };
    expect(verifyHuaweiSignature({ ...signedRequest, headers }, lookup, { now })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports a URL it cannot parse (e.g. a garbage Host header) as malformed', () => {
    expect(verifyHuaweiSignature({ ...signedRequest, url: 'http://bad host/x' }, lookup, { now })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects a missing or malformed X-Sdk-Date as malformed', () => {
    const { 'x-sdk-date': _, ...withoutDate } = signedRequest.headers;
    expect(verifyHuaweiSignature({ ...signedRequest, headers: withoutDate }, lookup, { now })).toEqual({ ok: false, reason: 'malformed' });
    const badDate = { ...signedRequest.headers, 'x-sdk-date': '2024-03-05T06:07:08Z' };
    expect(verifyHuaweiSignature({ ...signedRequest, headers: badDate }, lookup, { now })).toEqual({ ok: false, reason: 'malformed' });
  });
});
