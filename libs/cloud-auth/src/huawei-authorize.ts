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
  }
}
