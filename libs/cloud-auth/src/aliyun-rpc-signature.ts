import { createHmac } from 'node:crypto';
import { percentEncode, compareCodeUnits } from './uri-encoding.js';

/**
 * Alibaba Cloud RPC signature, version 1.0 (`SignatureMethod=HMAC-SHA1`): the parameters of the
 * call (query and form body together, without `Signature`) sorted by name, each name and value
 * percent-encoded, joined as `name=value&...`; the string to sign is
 * `METHOD&%2F&` + the percent-encoding of that; the key is the secret followed by `&`.
 */
export const ALIYUN_RPC_SIGNATURE_METHOD = 'HMAC-SHA1';
export const ALIYUN_RPC_SIGNATURE_VERSION = '1.0';

export function aliyunRpcCanonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort(compareCodeUnits)
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name])}`)
    .join('&');
}

export function aliyunRpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(aliyunRpcCanonicalQuery(params))}`;
}

/** Base64 HMAC-SHA1 of the string to sign, keyed with `secret&`. */
export function aliyunRpcSignature(method: string, params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(aliyunRpcStringToSign(method, params)).digest('base64');
}
