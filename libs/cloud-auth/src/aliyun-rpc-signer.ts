import { randomUUID } from 'node:crypto';
import type { AliyunAccessKey } from './aliyun-access-key.js';
import { percentEncode, decodeQueryPairs } from './uri-encoding.js';
import { ALIYUN_RPC_SIGNATURE_METHOD, ALIYUN_RPC_SIGNATURE_VERSION, aliyunRpcSignature } from './aliyun-rpc-signature.js';
import { formatAliyunTimestamp } from './aliyun-timestamp.js';
import type { AliyunSigningOptions } from './aliyun-v3-signer.js';

/** Parameters the RPC signer sets: whatever the URL had under these names is replaced. */
const SIGNER_OWNED_PARAMS = new Set(['AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'SecurityToken', 'Signature']);

export interface AliyunRpcRequest {
  method: string;
  /** Absolute URL whose query holds the call's parameters, `Action` and `Version` included. */
  url: string;
  /** Parameters sent as an `application/x-www-form-urlencoded` body: they are signed too. */
  formParams?: Readonly<Record<string, string>>;
}

/**
 * Signs an RPC-style call (signature 1.0, HMAC-SHA1) and returns the URL to send: the call's
 * parameters plus `AccessKeyId`, `SignatureMethod`, `SignatureVersion`, `SignatureNonce`,
 * `Timestamp`, `SecurityToken` for temporary credentials, `Format` (default `JSON`) when absent,
 * and `Signature`. A URL is signed for one send: a retry must be signed again (new nonce).
 */
export function signAliyunRpcRequest(req: AliyunRpcRequest, key: AliyunAccessKey, options: AliyunSigningOptions = {}): { url: string } {
  const url = new URL(req.url);
  const params: Record<string, string> = {};
  for (const [name, value] of decodeQueryPairs(url.search)) {
    if (SIGNER_OWNED_PARAMS.has(name)) continue;
    if (Object.hasOwn(params, name)) throw new TypeError(`signAliyunRpcRequest: parameter ${name} is given twice`);
    params[name] = value;
  }
  if (!params.Action || !params.Version) throw new TypeError('signAliyunRpcRequest: the URL must carry Action and Version');
  params.Format ??= 'JSON';
  params.AccessKeyId = key.accessKeyId;
  params.SignatureMethod = ALIYUN_RPC_SIGNATURE_METHOD;
  params.SignatureVersion = ALIYUN_RPC_SIGNATURE_VERSION;
  params.SignatureNonce = options.nonce ?? randomUUID();
  params.Timestamp = formatAliyunTimestamp(options.now ?? new Date());
  if (key.securityToken) params.SecurityToken = key.securityToken;

  const signature = aliyunRpcSignature(req.method, { ...params, ...req.formParams }, key.accessKeySecret);
  const query = Object.entries({ ...params, Signature: signature })
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join('&');
  url.search = `?${query}`;
  return { url: url.toString() };
}
