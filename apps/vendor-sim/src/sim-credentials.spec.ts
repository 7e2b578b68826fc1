import { CredentialSyntaxError, DEMO_CREDENTIALS, parseIamUser, resolveCredentials } from './sim-credentials.js';

describe('vendor-sim credentials from flags and environment', () => {
  it('defaults to the documented demo credentials', () => {
    expect(resolveCredentials({}, {})).toEqual(DEMO_CREDENTIALS);
  });

  it('reads flags first, then the environment, kind by kind', () => {
    const env = {
      VENDOR_SIM_AKSK: 'ENVAK1:envsk1, ENVAK2:env:sk2',
      VENDOR_SIM_TOKENS: 'tok-a tok-b',
      VENDOR_SIM_IAM_USERS: 'envdomain/envuser:pa/ss:word',
      VENDOR_SIM_ALIYUN_KEYS: 'LTAIENV:envsecret',
    };
    const resolved = resolveCredentials({ ak: 'FLAGAK', sk: 'flagsk', aksk: ['MOREAK:moresk'], aliyunKey: ['LTAIFLAG:flagsecret'] }, env);
    expect(resolved).toEqual({
      accounts: [
        { accessKeyId: 'FLAGAK', secretAccessKey: 'flagsk' },
        { accessKeyId: 'MOREAK', secretAccessKey: 'moresk' },
      ],
      tokens: ['tok-a', 'tok-b'],
      iamUsers: [{ domainName: 'envdomain', userName: 'envuser', password: 'pa/ss:word' }],
      aliyunKeys: [{ accessKeyId: 'LTAIFLAG', accessKeySecret: 'flagsecret' }],
    });
    expect(resolveCredentials({}, env).accounts[1]).toEqual({ accessKeyId: 'ENVAK2', secretAccessKey: 'env:sk2' });
  });

  it('refuses malformed entries and a lone --ak', () => {
    expect(() => resolveCredentials({ ak: 'X' }, {})).toThrow(/--ak and --sk go together/);
    expect(() => resolveCredentials({ aksk: ['no-colon'] }, {})).toThrow(CredentialSyntaxError);
    expect(() => resolveCredentials({}, { VENDOR_SIM_ALIYUN_KEYS: 'id:' })).toThrow(/id:secret/);
    expect(() => parseIamUser('user:password')).toThrow(/domain\/user:password/);
  });
});
