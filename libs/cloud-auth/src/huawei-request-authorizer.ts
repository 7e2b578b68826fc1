import type { VendorCredential } from './credentials.js';
import { authorizeHuaweiRequest } from './huawei-authorize.js';
import type { HttpRequestToSign } from './http-request-to-sign.js';
import { sharedIamTokenProvider, type IamTokenProvider } from './iam-token-provider.js';

/**
 * Adds Huawei authentication to a request, whatever the credential type: every Huawei connector
 * builds its HTTP client with one of these. `renew` (when present) is called by the HTTP client
 * after a 401, before its one retry: a cached IAM token may have been revoked early.
 */
export interface HuaweiRequestAuthorizer {
  (request: HttpRequestToSign): Promise<Record<string, string>>;
  renew?: () => Promise<void>;
}

export interface HuaweiRequestAuthorizerOptions {
  /** Where IAM tokens of password credentials come from; default the process-wide provider. */
  tokenProvider?: IamTokenProvider;
}

export function huaweiRequestAuthorizer(credential: VendorCredential, options: HuaweiRequestAuthorizerOptions = {}): HuaweiRequestAuthorizer {
  if (credential.type === 'huawei-password') {
    const provider = options.tokenProvider ?? sharedIamTokenProvider;
    // The token this authorizer handed out last: the one a 401 is about.
    let lastToken: string | undefined;
    const authorize: HuaweiRequestAuthorizer = async () => {
      lastToken = await provider.token(credential);
      return { 'X-Auth-Token': lastToken };
    };
    authorize.renew = async () => provider.invalidate(credential, lastToken);
    return authorize;
  }
  return async (request) => authorizeHuaweiRequest(request, credential);
}
