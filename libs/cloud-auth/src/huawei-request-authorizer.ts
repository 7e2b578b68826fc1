import type { VendorCredential } from './credentials.js';
import { authorizeHuaweiRequest } from './huawei-authorize.js';
import type { HttpRequestToSign } from './http-request-to-sign.js';

/**
 * Adds Huawei authentication to a request, whatever the credential type: every Huawei connector
 * builds its HTTP client with one of these. `renew` (when present) is called by the HTTP client
 * after a 401, before its one retry: a cached IAM token may have been revoked early.
 */
export interface HuaweiRequestAuthorizer {
  (request: HttpRequestToSign): Promise<Record<string, string>>;
  renew?: () => Promise<void>;
}

export function huaweiRequestAuthorizer(credential: VendorCredential): HuaweiRequestAuthorizer {
  return async (request) => authorizeHuaweiRequest(request, credential);
}
