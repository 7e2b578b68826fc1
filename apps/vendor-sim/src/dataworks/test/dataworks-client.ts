import { createRequire } from 'node:module';
import { XMLParser } from 'fast-xml-parser';
import { signAliyunRpcRequest, signAliyunV3Request, type AliyunAccessKey } from '#cloud-auth';

/**
 * Calls the simulated DataWorks gateway the way a client would, signed for real (V3 headers or
 * the RPC query signature), and reads the answer. Test-only.
 */
export interface DataWorksCallOptions {
  signature?: 'v3' | 'rpc';
  method?: 'GET' | 'POST';
  action?: string;
  version?: string;
  /** Parameters sent as a form body instead of the query. */
  form?: Record<string, string>;
  now?: Date;
  nonce?: string;
}

export interface DataWorksAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body, or the XML body parsed (root element included). */
  body: any;
}

const xml = new XMLParser({ parseTagValue: false });

export function signedDataWorksRequest(
  baseUrl: string,
  key: AliyunAccessKey,
  params: Record<string, string>,
  options: DataWorksCallOptions = {},
): { url: string; init: RequestInit } {
  const action = options.action ?? 'ListDataServiceApis';
  const version = options.version ?? '2020-05-18';
  const method = options.method ?? (options.form ? 'POST' : 'GET');
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const headers: Record<string, string> = body ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
  if ((options.signature ?? 'v3') === 'v3') {
    const url = `${baseUrl}/?${new URLSearchParams(params)}`;
    const callHeaders = { ...headers, 'x-acs-action': action, 'x-acs-version': version };
    const signed = signAliyunV3Request({ method, url, headers: callHeaders, body }, key, { now: options.now, nonce: options.nonce });
    return { url, init: { method, headers: { ...callHeaders, ...signed }, body } };
  }
  const url = signAliyunRpcRequest(
    { method, url: `${baseUrl}/?${new URLSearchParams({ Action: action, Version: version, ...params })}`, formParams: options.form },
    key,
    { now: options.now, nonce: options.nonce },
  ).url;
  return { url, init: { method, headers, body } };
}

export async function readAnswer(response: Response): Promise<DataWorksAnswer> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const body = type.startsWith('text/xml') ? xml.parse(text) : text.startsWith('{') ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, text, body };
}

export async function callDataWorks(
  baseUrl: string,
  key: AliyunAccessKey,
  params: Record<string, string>,
  options: DataWorksCallOptions = {},
): Promise<DataWorksAnswer> {
  const { url, init } = signedDataWorksRequest(baseUrl, key, params, options);
  return readAnswer(await fetch(url, init));
}

/** The official Alibaba Cloud OpenAPI client (CommonJS, a dev dependency). */
interface OfficialClientModule {
  default: new (config: unknown) => { callApi(params: unknown, request: unknown, runtime: unknown): Promise<{ statusCode: number; body: any }> };
  Config: new (map: Record<string, unknown>) => unknown;
  Params: new (map: Record<string, unknown>) => unknown;
  OpenApiRequest: new (map: Record<string, unknown>) => unknown;
}

const require = createRequire(import.meta.url);

/**
 * `callApi` of the official client, RPC style at `/`: signature V3 by default, or the RPC
 * HMAC-SHA1 signature (`signatureAlgorithm: 'v2'` makes the client use doRPCRequest).
 */
export async function officialCallApi(
  baseUrl: string,
  key: AliyunAccessKey,
  query: Record<string, string>,
  options: { signature?: 'v3' | 'rpc'; action?: string; method?: 'GET' | 'POST' } = {},
): Promise<{ statusCode: number; body: any }> {
  const sdk = require('@alicloud/openapi-client') as OfficialClientModule;
  const { RuntimeOptions } = require('@alicloud/tea-util') as { RuntimeOptions: new (map: Record<string, unknown>) => unknown };
  const client = new sdk.default(
    new sdk.Config({
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      securityToken: key.securityToken,
      endpoint: new URL(baseUrl).host,
      protocol: 'http',
      signatureAlgorithm: options.signature === 'rpc' ? 'v2' : undefined,
    }),
  );
  const params = new sdk.Params({
    action: options.action ?? 'ListDataServiceApis',
    version: '2020-05-18',
    protocol: 'HTTP',
    pathname: '/',
    method: options.method ?? 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  return client.callApi(params, new sdk.OpenApiRequest({ query }), new RuntimeOptions({ autoretry: false }));
}
