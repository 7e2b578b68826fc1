import { parseVendorCredential } from './credential-secret.js';

describe('parseVendorCredential: huawei-password', () => {
  const valid = { type: 'huawei-password', iamEndpoint: 'https://iam.cn-north-4.myhuaweicloud.com', domainName: 'acme', userName: 'backup', password: 'S3cret!' };

  it('accepts a password credential scoped by project name or id', () => {
    expect(parseVendorCredential({ ...valid, projectName: 'cn-north-4' })).toEqual({ ...valid, projectName: 'cn-north-4' });
    expect(parseVendorCredential({ ...valid, projectId: '0123abcd' })).toEqual({ ...valid, projectId: '0123abcd' });
  });

  it.each([
    ['no project', { ...valid }, /projectId: projectId or projectName is required/],
    ['an ftp endpoint', { ...valid, projectName: 'cn-north-4', iamEndpoint: 'ftp://iam' }, /iamEndpoint: must be an http\(s\) URL/],
    ['an empty password', { ...valid, projectName: 'cn-north-4', password: '' }, /password/],
  ])('refuses %s, naming the field and never the value', (_, raw, message) => {
    expect(() => parseVendorCredential(raw)).toThrow(message);
    expect(() => parseVendorCredential(raw)).not.toThrow(/S3cret/);
  });
});
