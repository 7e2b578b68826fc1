/**
 * Decrypted vendor credentials, as a connector receives them for one run. They live in memory
 * only for the run; at rest they are encrypted (see apps/apivault credentials), and they must
 * never be logged: loggers redact the field names used here.
 */
export type VendorCredential =
  | { type: 'huawei-aksk'; accessKeyId: string; secretAccessKey: string; securityToken?: string }
  | { type: 'huawei-token'; token: string };

export type VendorCredentialType = VendorCredential['type'];
