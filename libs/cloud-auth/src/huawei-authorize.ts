import type { VendorCredential } from './credentials.js';
import type { HttpRequestToSign } from './http-request-to-sign.js';
import { signHuaweiRequest } from './huawei-signer.js';

/** The headers that authenticate a request to a Huawei Cloud service with either kind of credential. */
export function authorizeHuaweiRequest(req: HttpRequestToSign, credential: VendorCredential, now?: Date): Record<string, string> {
  switch (credential.type) {
    case 'huawei-aksk':
      return signHuaweiRequest(req, credential, now);
    case 'huawei-token':
      return { 'X-Auth-Token': credential.token };
    case 'huawei-password':
      throw new TypeError('a huawei-password credential needs an IAM login first: use huaweiRequestAuthorizer()');
    case 'aliyun-ak':
      throw new TypeError('an aliyun-ak credential cannot authenticate a Huawei Cloud request');
  }
}
