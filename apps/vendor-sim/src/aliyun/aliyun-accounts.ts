import { randomBytes } from 'node:crypto';
import { DEFAULT_ALIYUN_MAX_SKEW_SECONDS } from '#cloud-auth';
import type { AliyunAccount, AliyunAuthConfig } from './aliyun-auth.js';
import { NonceCache } from './nonce-cache.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  return [...randomBytes(length)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

/** Shaped like an Alibaba Cloud AccessKey (`LTAI` + 20 characters, a 30-character secret), never a real one. */
export function randomAliyunAccount(): AliyunAccount {
  return { accessKeyId: `LTAISIM${randomText(17)}`, accessKeySecret: randomText(30) };
}

/** The gateway's authentication settings for these accounts, with a fresh nonce memory. */
export function aliyunAuthConfig(accounts: readonly AliyunAccount[], maxSkewSeconds = DEFAULT_ALIYUN_MAX_SKEW_SECONDS): AliyunAuthConfig {
  return {
    accounts: new Map(accounts.map((account) => [account.accessKeyId, account])),
    nonces: new NonceCache(maxSkewSeconds * 1000),
    maxSkewSeconds,
  };
}
