/**
 * An Alibaba Cloud AccessKey pair (a RAM user's or the account's), optionally with the STS
 * security token of temporary credentials. Both signature styles use the same pair.
 */
export interface AliyunAccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}
