import { huaweiRequestAuthorizer, IamLoginError, type HuaweiRequestAuthorizerOptions, type VendorCredential } from '#cloud-auth';
import { VendorCallError } from './errors.js';
import type { RequestAuthorizer } from './http/vendor-http-client.js';

/**
 * The authorizer a Huawei connector gives its VendorHttpClient: huaweiRequestAuthorizer, with an
 * IAM login failure turned into a VendorCallError naming `POST /v3/auth/tokens`. So the run's
 * error says which call failed and why, and the client's retry loop retries what IAM says may
 * pass (a 503, a reset) and stops on a refused password.
 */
export function huaweiCallAuthorizer(credential: VendorCredential, options: HuaweiRequestAuthorizerOptions = {}): RequestAuthorizer {
  const authorize = huaweiRequestAuthorizer(credential, options);
  const wrapped: RequestAuthorizer = async (request) => {
    try {
      return await authorize(request);
    } catch (error) {
      if (!(error instanceof IamLoginError)) throw error;
      throw new VendorCallError(error.message, {
        call: error.call,
        code: error.status === undefined ? 'NETWORK' : 'HTTP_ERROR',
        status: error.status,
        vendorCode: error.vendorCode,
        retryable: error.retryable,
        retryAfterMs: error.retryAfterMs,
        cause: error,
      });
    }
  };
  if (authorize.renew) wrapped.renew = authorize.renew;
  return wrapped;
}
