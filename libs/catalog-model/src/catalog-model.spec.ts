import { canonicalJson, contentHash, diffDocuments, isSecretFieldName, SecretRedactor } from './index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
  it('gives equal hashes for equal content in any key order', () => {
    expect(contentHash({ a: 1, b: 'x' })).toBe(contentHash({ b: 'x', a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/non-finite/);
  });
});

describe('diffDocuments', () => {
  it('reports added, removed and changed fields by JSON pointer', () => {
    const changes = diffDocuments(
      { name: 'a', config: { port: 1, host: 'h', 'x/y': 1 }, tags: ['t1'] },
      { name: 'a', config: { port: 2, user: 'u', 'x/y': 1 }, tags: ['t1', 't2'] },
    );
    expect(changes).toEqual([
      { path: '/config/host', op: 'removed', before: 'h' },
      { path: '/config/port', op: 'changed', before: 1, after: 2 },
      { path: '/config/user', op: 'added', after: 'u' },
      { path: '/tags/1', op: 'added', after: 't2' },
    ]);
  });
  it('is empty for equal documents', () => {
    expect(diffDocuments({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });
});

describe('SecretRedactor', () => {
  const redactor = new SecretRedactor(Buffer.alloc(32, 7));

  it('recognizes secret field names, not look-alikes', () => {
    for (const name of ['password', 'dbPassword', 'secret', 'access_token', 'kmsKey', 'secret_key', 'sk', 'X-Api-Key']) {
      expect([name, isSecretFieldName(name)]).toEqual([name, true]);
    }
    for (const name of ['name', 'userName', 'keyword', 'publicKey', 'monkey', 'tokenizer_type_name', 'port']) {
      expect([name, isSecretFieldName(name)]).toEqual([name, false]);
    }
  });

  it('replaces secret values with a salted hash and reports where', () => {
    const { document, redactedPaths } = redactor.redactDocument({
      name: 'c1',
      config: { userName: 'dba', password: 'Plant3d!', nested: [{ token: 't0k' }], kmsKey: '' },
    });
    const text = JSON.stringify(document);
    expect(text).not.toContain('Plant3d!');
    expect(text).not.toContain('t0k');
    expect(redactedPaths).toEqual(['/config/password', '/config/nested/0/token']);
    expect(document.config).toMatchObject({ userName: 'dba', kmsKey: '' });
  });

  it('detects a changed secret without revealing it, and keeps vendor masks recognizable', () => {
    const a = redactor.redactValue('one');
    expect(redactor.redactValue('one')).toEqual(a);
    expect(redactor.redactValue('two')).not.toEqual(a);
    expect(new SecretRedactor(Buffer.alloc(32, 8)).redactValue('one')).not.toEqual(a);
    expect(redactor.redactValue('*********')).toEqual({ $redacted: 'masked-by-vendor' });
  });
});
