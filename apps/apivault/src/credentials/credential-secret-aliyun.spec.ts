import { parseVendorCredential } from './credential-secret.js';

describe('parseVendorCredential: aliyun-ak', () => {
  const valid = { type: 'aliyun-ak', accessKeyId: 'LTAI5tExample', accessKeySecret: 'Ex4mple-Secret' };

  it('accepts an AccessKey pair, with or without an STS token', () => {
    expect(parseVendorCredential(valid)).toEqual(valid);
    expect(parseVendorCredential({ ...valid, securityToken: 'CAIS-token' })).toEqual({ ...valid, securityToken: 'CAIS-token' });
  });

  it.each([
    [{ ...valid, accessKeySecret: '' }, /accessKeySecret/],
    [{ type: 'aliyun-ak', accessKeyId: 'LTAI5tExample' }, /accessKeySecret/],
    [{ ...valid, accessKeyId: undefined }, /accessKeyId/],
  ])('names the bad field without echoing the secret: %j', (raw, message) => {
    expect(() => parseVendorCredential(raw)).toThrow(message);
    expect(() => parseVendorCredential(raw)).not.toThrow(/Ex4mple-Secret/);
  });
});
