/**
 * Why an Alibaba signature check failed. The server maps each to the vendor's own error:
 * missing/malformed -> IncompleteSignature, malformed-date -> InvalidTimeStamp.Format,
 * unknown-key -> InvalidAccessKeyId.NotFound, stale-date -> InvalidTimeStamp.Expired,
 * bad-signature -> SignatureDoesNotMatch.
 */
export type AliyunSignatureFailure = 'missing' | 'malformed' | 'malformed-date' | 'unknown-key' | 'stale-date' | 'bad-signature';

export type AliyunSignatureVerdict =
  | {
      ok: true;
      accessKeyId: string;
      /** The signature nonce: the server refuses one it has already seen (SignatureNonceUsed). */
      nonce: string;
      signedAt: Date;
      /** The STS token sent with the request, for the server to match against the key. */
      securityToken?: string;
    }
  | { ok: false; reason: AliyunSignatureFailure; detail?: string };

export interface VerifyAliyunSignatureOptions {
  now?: Date;
  /** How far the request's timestamp may be from the server clock, either way; default 15 minutes. */
  maxSkewSeconds?: number;
}

export const DEFAULT_ALIYUN_MAX_SKEW_SECONDS = 900;
