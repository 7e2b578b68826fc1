import {
  signAliyunRpcRequest,
  signAliyunV3Request,
  verifyAliyunRpcSignature,
  verifyAliyunV3Signature,
  looksLikeAliyunV3Request,
  type HttpRequestToSign,
} from './index.js';
import { officialAliyunRpcSignature, officialAliyunV3Authorization } from '../../../test/support/official-aliyun-signer.js';

const key = { accessKeyId: 'LTAI-SIM-1', accessKeySecret: 'sim-secret-1' };
const lookup = (ak: string) => (ak === key.accessKeyId ? key.accessKeySecret : undefined);
const now = new Date('2024-03-05T06:07:08Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

/** What a Node server sees: lower-cased header names, the Host header, the raw path and body. */
function asReceived(req: HttpRequestToSign, added: Record<string, string>): HttpRequestToSign {
  const url = new URL(req.url);
  const headers: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries({ ...req.headers, ...added })) headers[name.toLowerCase()] = value;
  return { method: req.method, url: `http://${headers.host}${url.pathname}${url.search}`, headers, body: req.body };
}

describe('verifyAliyunV3Signature', () => {
  const request: HttpRequestToSign = {
    method: 'POST',
    url: 'http://127.0.0.1:9090/?ProjectId=10001&PageNumber=1&ApiNameKeyword=%E8%AE%A2%E5%8D%95+a',
    headers: { 'x-acs-action': 'ListDataServiceApis', 'x-acs-version': '2020-05-18', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'PageSize=100',
  };
  const signed = asReceived(request, signAliyunV3Request(request, key, { now, nonce: 'n-1' }));

  it('accepts a valid request within 15 minutes, and returns its nonce', () => {
    expect(verifyAliyunV3Signature(signed, lookup, { now })).toEqual({ ok: true, accessKeyId: key.accessKeyId, nonce: 'n-1', signedAt: now });
    expect(verifyAliyunV3Signature(signed, lookup, { now: minutes(14) }).ok).toBe(true);
  });

  it('accepts a request signed by the official openapi-util signer', () => {
    const headers = {
      host: '127.0.0.1:9090',
      'x-acs-action': 'ListDataServiceApis',
      'x-acs-version': '2020-05-18',
      'x-acs-date': '2024-03-05T06:07:08Z',
      'x-acs-signature-nonce': 'official-1',
      'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20 Core/1',
      accept: 'application/json',
    };
    const authorization = officialAliyunV3Authorization({ method: 'GET', query: { ProjectId: '10001', TenantId: '7' }, headers, ...key });
    const received = asReceived(
      { method: 'GET', url: 'http://127.0.0.1:9090/?ProjectId=10001&TenantId=7', headers, body: '' },
      { authorization, 'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    );
    expect(verifyAliyunV3Signature(received, lookup, { now })).toMatchObject({ ok: true, nonce: 'official-1' });
  });

  it('returns the security token of temporary credentials', () => {
    const req = asReceived(request, signAliyunV3Request(request, { ...key, securityToken: 'sts' }, { now }));
    expect(verifyAliyunV3Signature(req, lookup, { now })).toMatchObject({ ok: true, securityToken: 'sts' });
  });

  it('rejects a wrong secret, and any change to the method, path, query, body or a signed header', () => {
    const forged = asReceived(request, signAliyunV3Request(request, { ...key, accessKeySecret: 'wrong' }, { now }));
    const changes: HttpRequestToSign[] = [
      forged,
      { ...signed, method: 'GET' },
      { ...signed, url: signed.url.replace('/?', '/x?') },
      { ...signed, url: signed.url.replace('PageNumber=1', 'PageNumber=2') },
      { ...signed, url: `${signed.url}&Extra=1` },
      { ...signed, body: 'PageSize=99' },
      { ...signed, headers: { ...signed.headers, 'x-acs-action': 'CreateDataServiceApi' } },
      { ...signed, headers: { ...signed.headers, host: 'evil.example.com' } },
      { ...signed, headers: { ...signed.headers, 'x-acs-extra': 'unsigned' } },
      { ...signed, headers: { ...signed.headers, 'x-acs-content-sha256': '0'.repeat(64) } },
    ];
    for (const changed of changes) expect(verifyAliyunV3Signature(changed, lookup, { now })).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a date more than 15 minutes away, and a malformed one', () => {
    expect(verifyAliyunV3Signature(signed, lookup, { now: minutes(16) })).toEqual({ ok: false, reason: 'stale-date' });
    expect(verifyAliyunV3Signature(signed, lookup, { now: minutes(-16) })).toEqual({ ok: false, reason: 'stale-date' });
    expect(verifyAliyunV3Signature(signed, lookup, { now: minutes(16), maxSkewSeconds: 3600 }).ok).toBe(true);
    const badDate = { ...signed, headers: { ...signed.headers, 'x-acs-date': '20240305T060708Z' } };
    expect(verifyAliyunV3Signature(badDate, lookup, { now })).toMatchObject({ ok: false, reason: 'malformed-date' });
  });

  it('rejects an unknown key', () => {
    const unknown = asReceived(request, signAliyunV3Request(request, { ...key, accessKeyId: 'LTAI-NOBODY' }, { now }));
    expect(verifyAliyunV3Signature(unknown, lookup, { now })).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('reports a missing Authorization header', () => {
    const { authorization: _, ...headers } = signed.headers;
    expect(verifyAliyunV3Signature({ ...signed, headers }, lookup, { now })).toMatchObject({ ok: false, reason: 'missing' });
  });

  it.each([
    ['another algorithm', (a: string) => a.replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3')],
    ['no signature', (a: string) => a.replace(/,Signature=.*/, '')],
    ['a short signature', (a: string) => a.slice(0, -2)],
    ['host not signed', (a: string) => a.replace('host;', '')],
    ['the nonce not signed', (a: string) => a.replace(';x-acs-signature-nonce', '')],
    ['upper-case header names', (a: string) => a.replace('host', 'Host')],
  ])('rejects a malformed Authorization header: %s', (_, mangle) => {
    const headers = { ...signed.headers, authorization: mangle(signed.headers.authorization) };
    expect(verifyAliyunV3Signature({ ...signed, headers }, lookup, { now })).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('tells V3 requests from others', () => {
    expect(looksLikeAliyunV3Request(signed.headers)).toBe(true);
    expect(looksLikeAliyunV3Request({ authorization: 'SDK-HMAC-SHA256 Access=x' })).toBe(false);
    expect(looksLikeAliyunV3Request({})).toBe(false);
  });
});

describe('verifyAliyunRpcSignature', () => {
  const base = 'http://127.0.0.1:9090/?Action=ListDataServiceApis&Version=2020-05-18&ProjectId=10001&ApiNameKeyword=%E8%AE%A2%E5%8D%95%20a';
  const signedUrl = signAliyunRpcRequest({ method: 'GET', url: base }, key, { now, nonce: 'rpc-1' }).url;
  const signed: HttpRequestToSign = { method: 'GET', url: signedUrl, headers: { host: '127.0.0.1:9090' } };

  it('accepts a valid request and returns its nonce', () => {
    expect(verifyAliyunRpcSignature(signed, lookup, { now })).toEqual({ ok: true, accessKeyId: key.accessKeyId, nonce: 'rpc-1', signedAt: now });
  });

  it('accepts parameters split between the query and a form body, signed by the official getRPCSignature', () => {
    const query: Record<string, string> = {
      Action: 'CreateDataServiceApi',
      Format: 'json',
      Version: '2020-05-18',
      Timestamp: '2024-03-05T06:07:08Z',
      SignatureNonce: 'official-rpc',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      AccessKeyId: key.accessKeyId,
    };
    const form = { ProjectId: '10001', ApiName: 'orders by region', WizardDetails: '{"isPagedResponse":true}' };
    const signature = officialAliyunRpcSignature({ ...query, ...form }, 'POST', key.accessKeySecret);
    const received: HttpRequestToSign = {
      method: 'POST',
      // querystring.stringify, as the SDK sends it: `*!'()` unencoded, which the server decodes alike.
      url: `http://127.0.0.1:9090/?${new URLSearchParams({ ...query, Signature: signature })}`,
      headers: { host: '127.0.0.1:9090', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    };
    expect(verifyAliyunRpcSignature(received, lookup, { now })).toMatchObject({ ok: true, nonce: 'official-rpc' });
    expect(verifyAliyunRpcSignature({ ...received, body: received.body!.toString().replace('orders', 'others') }, lookup, { now })).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('rejects a wrong secret, a changed parameter, method, or an added parameter', () => {
    const forged = signAliyunRpcRequest({ method: 'GET', url: base }, { ...key, accessKeySecret: 'wrong' }, { now }).url;
    for (const changed of [
      { ...signed, url: forged },
      { ...signed, url: signed.url.replace('ProjectId=10001', 'ProjectId=10002') },
      { ...signed, url: `${signed.url}&PageSize=100` },
      { ...signed, method: 'POST' },
    ]) {
      expect(verifyAliyunRpcSignature(changed, lookup, { now })).toEqual({ ok: false, reason: 'bad-signature' });
    }
  });

  it('rejects stale and malformed timestamps, unknown keys, other methods, and missing or repeated parameters', () => {
    expect(verifyAliyunRpcSignature(signed, lookup, { now: minutes(16) })).toEqual({ ok: false, reason: 'stale-date' });
    const other = signAliyunRpcRequest({ method: 'GET', url: base }, { ...key, accessKeyId: 'LTAI-NOBODY' }, { now }).url;
    expect(verifyAliyunRpcSignature({ ...signed, url: other }, lookup, { now })).toEqual({ ok: false, reason: 'unknown-key' });
    expect(verifyAliyunRpcSignature({ ...signed, url: signed.url.replace('Timestamp=2024-03-05T06%3A07%3A08Z', 'Timestamp=yesterday') }, lookup, { now })).toMatchObject({
      ok: false,
      reason: 'malformed-date',
    });
    expect(verifyAliyunRpcSignature({ ...signed, url: signed.url.replace('HMAC-SHA1', 'HMAC-SHA256') }, lookup, { now })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyAliyunRpcSignature({ ...signed, url: signed.url.replace(/&SignatureNonce=[^&]*/, '') }, lookup, { now })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyAliyunRpcSignature({ ...signed, url: `${signed.url}&ProjectId=1` }, lookup, { now })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyAliyunRpcSignature({ ...signed, url: base }, lookup, { now })).toMatchObject({ ok: false, reason: 'missing' });
  });
});
