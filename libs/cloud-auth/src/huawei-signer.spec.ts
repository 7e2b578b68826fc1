import { authorizeHuaweiRequest, formatSdkDate, parseSdkDate, signHuaweiRequest } from './index.js';
import { officialHuaweiSign } from '../../../test/support/official-huawei-signer.js';

const cred = { accessKeyId: 'HPUAEXAMPLEAK0000001', secretAccessKey: 'sk-Example/Secret+Key=0123456789' };
const now = new Date('2024-03-05T06:07:08.999Z');
const sdkDate = '20240305T060708Z';

function queryString(params: Record<string, string | string[]>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

interface ParityCase {
  title: string;
  method: string;
  endpoint: string;
  queryParams?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  json?: unknown;
  securityToken?: string;
}

const cases: ParityCase[] = [
  {
    title: 'GET with a query string, empty body',
    method: 'GET',
    endpoint: 'https://apig.cn-north-4.myhuaweicloud.com/v2/0123456789abcdef0123456789abcdef/apigw/instances/i-1/api-groups',
    queryParams: { offset: '0', limit: '100', name: "a b*c!'(x)~" },
  },
  {
    title: 'POST with a JSON body and a content type',
    method: 'POST',
    endpoint: 'https://dayu-dlf.cn-north-4.myhuaweicloud.com/v1/0123456789abcdef0123456789abcdef/connections/export',
    headers: { 'Content-Type': 'application/json;charset=UTF-8', workspace: 'ws-01' },
    json: { name: 'orders', tags: ['a', 'b'] },
  },
  {
    title: 'Chinese characters in path, query and body',
    method: 'POST',
    endpoint: 'https://dayu.cn-north-4.myhuaweicloud.com/v1/p1/service/订单/导出',
    queryParams: { 名称: '订单 接口', b: ['2', '1'] },
    headers: { 'Content-Type': 'application/json;charset=utf8' },
    json: { description: '中文描述' },
  },
  {
    title: 'temporary credentials with a security token and a trailing slash',
    method: 'DELETE',
    endpoint: 'https://apig.cn-north-4.myhuaweicloud.com:8443/v2/p1/apigw/instances/i-1/',
    headers: { 'X-Project-Id': 'p1' },
    securityToken: 'gQpjbi1ub3J0aC00Fake-Token==',
  },
];

describe('signHuaweiRequest', () => {
  it.each(cases)('matches the official SDK signer: $title', (c) => {
    const official = officialHuaweiSign({ ...c, sdkDate, ...cred, securityToken: c.securityToken });
    const ours = signHuaweiRequest(
      {
        method: c.method,
        url: `${c.endpoint}${queryString(c.queryParams ?? {})}`,
        headers: c.headers ?? {},
        body: c.json === undefined ? undefined : JSON.stringify(c.json),
      },
      { ...cred, securityToken: c.securityToken },
      now,
    );
    expect(ours.Authorization).toBe(official.Authorization);
    expect(ours['X-Sdk-Date']).toBe(sdkDate);
    expect(ours['X-Security-Token']).toBe(c.securityToken);
  });

  it('signs host from headers.host when given, and signs a Buffer body like its string', () => {
    const req = { method: 'POST', url: 'http://127.0.0.1:9090/v1/p/connections/export', headers: { host: 'dlf.example.com' }, body: '{}' };
    const official = officialHuaweiSign({ method: 'POST', endpoint: req.url, headers: { host: 'dlf.example.com' }, json: {}, sdkDate, ...cred });
    expect(signHuaweiRequest(req, cred, now).Authorization).toBe(official.Authorization);
    expect(signHuaweiRequest({ ...req, body: Buffer.from('{}') }, cred, now).Authorization).toBe(official.Authorization);
  });

  it('replaces a previous signature instead of signing it', () => {
    const req = { method: 'GET', url: 'https://h.example.com/v1/x', headers: {} };
    const first = signHuaweiRequest(req, cred, now);
    const again = signHuaweiRequest({ ...req, headers: { ...first } }, cred, now);
    expect(again).toEqual(first);
  });
});

describe('authorizeHuaweiRequest', () => {
  const req = { method: 'GET', url: 'https://h.example.com/v1/x', headers: {} };
  it('signs with AK/SK credentials', () => {
    const headers = authorizeHuaweiRequest(req, { type: 'huawei-aksk', ...cred }, now);
    expect(headers).toEqual(signHuaweiRequest(req, cred, now));
  });
  it('sends an IAM token as X-Auth-Token', () => {
    expect(authorizeHuaweiRequest(req, { type: 'huawei-token', token: 'MIIT0k' })).toEqual({ 'X-Auth-Token': 'MIIT0k' });
  });
});

describe('X-Sdk-Date', () => {
  it('formats in UTC to the second and parses back', () => {
    expect(formatSdkDate(now)).toBe(sdkDate);
    expect(parseSdkDate(sdkDate)?.toISOString()).toBe('2024-03-05T06:07:08.000Z');
  });
  it('rejects anything else', () => {
    for (const text of ['2024-03-05T06:07:08Z', '20240305T060708', '20240231T000000Z', '']) expect(parseSdkDate(text)).toBeUndefined();
  });
});
