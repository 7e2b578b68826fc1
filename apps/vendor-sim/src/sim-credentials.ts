/**
 * The credentials a standalone simulator accepts, from flags or environment variables, with
 * documented demo defaults. Flags win over the environment, kind by kind; a kind given by
 * neither gets its demo default. Any key not listed is refused by the vendor routes.
 */
export interface HuaweiAkSkPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SimIamUser {
  domainName: string;
  userName: string;
  password: string;
}

export interface AliyunAccessKey {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface SimCredentials {
  /** Huawei AK/SK pairs (`SDK-HMAC-SHA256`). */
  accounts: HuaweiAkSkPair[];
  /** Fixed IAM tokens accepted as `X-Auth-Token`, besides the tokens IAM issues. */
  tokens: string[];
  /** Huawei IAM users for `POST /v3/auth/tokens` password logins. */
  iamUsers: SimIamUser[];
  /** Alibaba Cloud AccessKey pairs (DataWorks: ACS3-HMAC-SHA256 and RPC HMAC-SHA1). */
  aliyunKeys: AliyunAccessKey[];
}

/** Environment variables: entries separated by commas or white space. */
export const CREDENTIAL_ENV = {
  accounts: 'VENDOR_SIM_AKSK',
  tokens: 'VENDOR_SIM_TOKENS',
  iamUsers: 'VENDOR_SIM_IAM_USERS',
  aliyunKeys: 'VENDOR_SIM_ALIYUN_KEYS',
} as const satisfies Record<keyof SimCredentials, string>;

/**
 * What a standalone simulator accepts when told nothing: fixed, documented, shaped like real
 * credentials (20-character AK and 40-character SK, `MII` token, `LTAI` AccessKey id) and
 * obviously fake. Never use them anywhere but against the simulator.
 */
export const DEMO_CREDENTIALS: SimCredentials = {
  accounts: [{ accessKeyId: 'SIMDEMOAK00000000001', secretAccessKey: 'SIMDEMOSK000000000000000000000000000001' }],
  tokens: ['MIISIMDEMOTOKEN0000000000000000000000000000000001'],
  iamUsers: [{ domainName: 'sim-demo-domain', userName: 'sim-demo-user', password: 'SimDemo-Passw0rd' }],
  aliyunKeys: [{ accessKeyId: 'LTAISIMDEMO0000000000001', accessKeySecret: 'SimDemoAliyunSecret00000000001' }],
};

export class CredentialSyntaxError extends Error {
  override readonly name = 'CredentialSyntaxError';
}

function splitPair(value: string, what: string, syntax: string): [string, string] {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) throw new CredentialSyntaxError(`${what}: expected ${syntax}, got ${JSON.stringify(value)}`);
  return [value.slice(0, colon), value.slice(colon + 1)];
}

/** `AK:SK` (the secret may itself hold colons). */
export function parseAkSk(value: string): HuaweiAkSkPair {
  const [accessKeyId, secretAccessKey] = splitPair(value, 'AK/SK', 'AK:SK');
  return { accessKeyId, secretAccessKey };
}

/** `domain/user:password` (the password may hold colons and slashes). */
export function parseIamUser(value: string): SimIamUser {
  const [login, password] = splitPair(value, 'IAM user', 'domain/user:password');
  const slash = login.indexOf('/');
  if (slash <= 0 || slash === login.length - 1) throw new CredentialSyntaxError(`IAM user: expected domain/user:password, got ${JSON.stringify(value)}`);
  return { domainName: login.slice(0, slash), userName: login.slice(slash + 1), password };
}

/** `id:secret`. */
export function parseAliyunKey(value: string): AliyunAccessKey {
  const [accessKeyId, accessKeySecret] = splitPair(value, 'Alibaba AccessKey', 'id:secret');
  return { accessKeyId, accessKeySecret };
}

function envList(env: Record<string, string | undefined>, name: string): string[] | undefined {
  const value = env[name]?.trim();
  return value ? value.split(/[\s,]+/).filter(Boolean) : undefined;
}

export interface CredentialFlags {
  /** `--aksk AK:SK` (repeatable), plus the `--ak X --sk Y` pair, which comes first. */
  aksk?: string[];
  ak?: string;
  sk?: string;
  token?: string[];
  iamUser?: string[];
  aliyunKey?: string[];
}

/** Flags, else environment, else demo defaults; throws CredentialSyntaxError on a malformed entry. */
export function resolveCredentials(flags: CredentialFlags, env: Record<string, string | undefined> = process.env): SimCredentials {
  if ((flags.ak === undefined) !== (flags.sk === undefined)) throw new CredentialSyntaxError('--ak and --sk go together');
  const pick = <T>(given: string[] | undefined, name: string, parse: (value: string) => T, fallback: T[]): T[] => {
    const entries = given?.length ? given : envList(env, name);
    return entries ? entries.map(parse) : structuredClone(fallback);
  };
  const akskFlags = [...(flags.ak && flags.sk ? [`${flags.ak}:${flags.sk}`] : []), ...(flags.aksk ?? [])];
  return {
    accounts: pick(akskFlags, CREDENTIAL_ENV.accounts, parseAkSk, DEMO_CREDENTIALS.accounts),
    tokens: pick(flags.token, CREDENTIAL_ENV.tokens, (token) => token, DEMO_CREDENTIALS.tokens),
    iamUsers: pick(flags.iamUser, CREDENTIAL_ENV.iamUsers, parseIamUser, DEMO_CREDENTIALS.iamUsers),
    aliyunKeys: pick(flags.aliyunKey, CREDENTIAL_ENV.aliyunKeys, parseAliyunKey, DEMO_CREDENTIALS.aliyunKeys),
  };
}
