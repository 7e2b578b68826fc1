import type { AliyunAccessKey } from './aliyun-access-key.js';
import { signAliyunRpcRequest, type AliyunRpcRequest } from './aliyun-rpc-signer.js';
import { signAliyunV3Request } from './aliyun-v3-signer.js';
import type { VendorCredential } from './credentials.js';
import type { HttpRequestToSign } from './http-request-to-sign.js';

/** The AccessKey of an `aliyun-ak` credential; any other credential type is a configuration error. */
export function aliyunAccessKeyOf(credential: VendorCredential): AliyunAccessKey {
  if (credential.type !== 'aliyun-ak') {
    throw new TypeError(`Alibaba Cloud calls need an aliyun-ak credential, not ${credential.type}`);
  }
  const { accessKeyId, accessKeySecret, securityToken } = credential;
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}

/**
 * Signs each request with V3 headers (fresh date and nonce per call, so a retried request is
 * signed anew). The request must carry `x-acs-action` and `x-acs-version`.
 */
export function aliyunV3RequestAuthorizer(key: AliyunAccessKey): (request: HttpRequestToSign) => Promise<Record<string, string>> {
  return async (request) => signAliyunV3Request(request, key);
}

/**
 * Signs each RPC call by rewriting its URL (the signature travels in the query): a fresh nonce
 * and timestamp per send.
 */
export function aliyunRpcUrlSigner(key: AliyunAccessKey): (request: AliyunRpcRequest) => string {
  return (request) => signAliyunRpcRequest(request, key).url;
}
