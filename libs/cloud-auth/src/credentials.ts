/**
 * Decrypted vendor credentials, as a connector receives them for one run. They live in memory
 * only for the run; at rest they are encrypted (see apps/apivault credentials), and they must
 * never be logged: loggers redact the field names used here.
 */
export type VendorCredential =
  | { type: 'huawei-aksk'; accessKeyId: string; secretAccessKey: string; securityToken?: string }
  | { type: 'huawei-token'; token: string }
  | HuaweiPasswordCredential
  | AliyunAkCredential;

/** An Alibaba Cloud AccessKey pair (+ STS token for temporary credentials): V3 or RPC signatures. */
export interface AliyunAkCredential {
  type: 'aliyun-ak';
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export type VendorCredentialType = VendorCredential['type'];

/**
 * An IAM user's password: apivault logs in (`POST /v3/auth/tokens`) and sends the token it gets
 * as `X-Auth-Token`, cached and renewed by IamTokenProvider. The token is scoped to one project,
 * named by id or by name (the region name, e.g. `cn-north-4`); one of the two is required.
 */
export interface HuaweiPasswordCredential {
  type: 'huawei-password';
  /** e.g. https://iam.cn-north-4.myhuaweicloud.com (a path prefix is kept). */
  iamEndpoint: string;
  /** The account (domain) the IAM user belongs to. */
  domainName: string;
  userName: string;
  password: string;
  projectId?: string;
  projectName?: string;
}
