import {
  aliyunCanonicalQuery,
  percentEncode,
  formatAliyunTimestamp,
  parseAliyunTimestamp,
  signAliyunRpcRequest,
  signAliyunV3Request,
  aliyunAccessKeyOf,
} from './index.js';
import { officialAliyunRpcSignature, officialAliyunV3Authorization } from '../../../test/support/official-aliyun-signer.js';

const key = { accessKeyId: 'LTAI5tEXAMPLEaccessKey01', accessKeySecret: 'Example/Secret+Key=0123456789abcd' };
const now = new Date('2024-03-05T06:07:08.999Z');
const timestamp = '2024-03-05T06:07:08Z';
const nonce = '3f1c9a52-7e1b-4c4e-9d7a-2b8f0e6d5c41';

function withQuery(base: string, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return search ? `${base}?${search}` : base;
}

interface V3Case {
  title: string;
  method: string;
  host: string;
  /**
   * Quirk of the official getAuthorization: it percent-encodes query values but not names (the
   * V3 specification encodes both). Every name here is made of unreserved characters, for which
   * the two agree; names that need encoding are covered by the specification test below.
   */
  query: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  securityToken?: string;
}

const v3Cases: V3Case[] = [
  {
    title: 'an RPC-style call with its parameters in the query',
    method: 'POST',
    host: 'dataworks.cn-shanghai.aliyuncs.com',
    query: { ProjectId: '10001', PageNumber: '2', PageSize: '100', ApiNameKeyword: "订单 a*b!'()~+=&", TenantId: '2001' },
  },
  {
    title: 'a GET on a non-default port, empty body, a value with a slash and percent sign',
    method: 'GET',
    host: '127.0.0.1:9090',
    query: { ApiPathKeyword: '/orders/100%', Format: 'XML' },
    headers: { 'user-agent': 'apivault-test', accept: 'application/json' },
  },
  {
    title: 'a form body (content-type is signed)',
    method: 'POST',
    host: 'dataworks.cn-hangzhou.aliyuncs.com',
    query: {},
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'ProjectId=10001&ApiName=orders_by_region&WizardDetails=%7B%22isPagedResponse%22%3Atrue%7D',
  },
  {
    title: 'temporary credentials with a security token',
    method: 'POST',
    host: 'dataworks.cn-shanghai.aliyuncs.com',
    query: { ProjectId: '10001' },
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: '{"描述":"中文"}',
    securityToken: 'CAIS-sts-token/Example+Token==',
  },
];

describe('signAliyunV3Request', () => {
  it.each(v3Cases)('matches the official openapi-util signer: $title', (c) => {
    const callHeaders = { 'x-acs-action': 'ListDataServiceApis', 'x-acs-version': '2020-05-18', ...c.headers };
    const official = officialAliyunV3Authorization({
      method: c.method,
      query: c.query,
      headers: { host: c.host, ...callHeaders, 'x-acs-date': timestamp, 'x-acs-signature-nonce': nonce },
      body: c.body,
      ...key,
      securityToken: c.securityToken,
    });
    const ours = signAliyunV3Request(
      { method: c.method, url: withQuery(`http://${c.host}/`, c.query), headers: callHeaders, body: c.body },
      { ...key, securityToken: c.securityToken },
      { now, nonce },
    );
    expect(ours.Authorization).toBe(official);
    expect(ours['x-acs-date']).toBe(timestamp);
    expect(ours['x-acs-signature-nonce']).toBe(nonce);
    expect(ours['x-acs-security-token']).toBe(c.securityToken);
  });

  it('signs a Buffer body like its string, and replaces a previous signature instead of signing it', () => {
    const req = { method: 'POST', url: 'https://dataworks.cn-shanghai.aliyuncs.com/', headers: { 'x-acs-action': 'A', 'x-acs-version': 'V' }, body: 'a=1' };
    const first = signAliyunV3Request(req, key, { now, nonce });
    expect(signAliyunV3Request({ ...req, body: Buffer.from('a=1') }, key, { now, nonce })).toEqual(first);
    expect(signAliyunV3Request({ ...req, headers: { ...req.headers, ...first } }, key, { now, nonce })).toEqual(first);
  });

  it('draws a new nonce for every signature unless one is given', () => {
    const req = { method: 'GET', url: 'https://h.example.com/', headers: { 'x-acs-action': 'A', 'x-acs-version': 'V' } };
    expect(signAliyunV3Request(req, key)['x-acs-signature-nonce']).not.toBe(signAliyunV3Request(req, key)['x-acs-signature-nonce']);
  });

  it('encodes query names and values as the V3 specification says (RFC 3986, sorted by name)', () => {
    expect(aliyunCanonicalQuery('?b=2&a%20b=x+y&a=%2A&c')).toBe('a=%2A&a%20b=x%20y&b=2&c=');
    expect(percentEncode("a b*c!'()~-_.")).toBe('a%20b%2Ac%21%27%28%29~-_.');
  });
});

describe('signAliyunRpcRequest', () => {
  const endpoint = 'https://dataworks.cn-shanghai.aliyuncs.com/';
  const call = { Action: 'ListDataServiceApis', Version: '2020-05-18', Format: 'JSON', ProjectId: '10001', PageNumber: '1', PageSize: '100' };

  it.each([
    ['GET', call, undefined],
    ['POST', { ...call, ApiNameKeyword: "订单 a*b!'()~+=&/" }, undefined],
    ['POST', call, { ApiName: 'orders_by_region', WizardDetails: '{"isPagedResponse":true}' }],
  ] as const)('matches the official getRPCSignature (%s)', (method, params, formParams) => {
    const signed = new URL(signAliyunRpcRequest({ method, url: withQuery(endpoint, params), formParams }, key, { now, nonce }).url);
    const sent = Object.fromEntries(signed.searchParams);
    const { Signature, ...signedParams } = sent;
    expect(signedParams).toEqual({
      ...params,
      AccessKeyId: key.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: nonce,
      Timestamp: timestamp,
    });
    expect(Signature).toBe(officialAliyunRpcSignature({ ...signedParams, ...formParams }, method, key.accessKeySecret));
  });

  it('adds Format=JSON and the security token, and replaces signer-owned parameters', () => {
    const url = withQuery(endpoint, { Action: 'A', Version: 'V', Signature: 'old', SignatureNonce: 'old' });
    const signed = new URL(signAliyunRpcRequest({ method: 'GET', url }, { ...key, securityToken: 'sts-token' }, { now, nonce }).url);
    expect(signed.searchParams.get('Format')).toBe('JSON');
    expect(signed.searchParams.get('SecurityToken')).toBe('sts-token');
    expect(signed.searchParams.getAll('SignatureNonce')).toEqual([nonce]);
    expect(signed.searchParams.getAll('Signature')).toHaveLength(1);
    const { Signature, ...rest } = Object.fromEntries(signed.searchParams);
    expect(Signature).toBe(officialAliyunRpcSignature(rest, 'GET', key.accessKeySecret));
  });

  it('encodes the query as RFC 3986 (spaces as %20, never +)', () => {
    const signed = signAliyunRpcRequest({ method: 'GET', url: withQuery(endpoint, { Action: 'A', Version: 'V', Q: 'a b*' }) }, key, { now, nonce }).url;
    expect(signed).toContain('Q=a%20b%2A');
  });

  it('refuses a URL without Action and Version, or with a parameter given twice', () => {
    expect(() => signAliyunRpcRequest({ method: 'GET', url: `${endpoint}?Action=A` }, key)).toThrow(/Action and Version/);
    expect(() => signAliyunRpcRequest({ method: 'GET', url: `${endpoint}?Action=A&Version=V&P=1&P=2` }, key)).toThrow(/twice/);
  });
});

describe('Alibaba timestamps and credentials', () => {
  it('formats in UTC to the second and parses back, refusing anything else', () => {
    expect(formatAliyunTimestamp(now)).toBe(timestamp);
    expect(parseAliyunTimestamp(timestamp)?.toISOString()).toBe('2024-03-05T06:07:08.000Z');
    for (const text of ['2024-03-05T06:07:08.000Z', '20240305T060708Z', '2024-02-31T00:00:00Z', '']) expect(parseAliyunTimestamp(text)).toBeUndefined();
  });

  it('takes the AccessKey from an aliyun-ak credential only', () => {
    expect(aliyunAccessKeyOf({ type: 'aliyun-ak', ...key })).toEqual(key);
    expect(() => aliyunAccessKeyOf({ type: 'huawei-token', token: 't' })).toThrow(/aliyun-ak/);
  });
});
