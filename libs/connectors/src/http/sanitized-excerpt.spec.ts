import { htmlSummary, sanitizedExcerpt } from './sanitized-excerpt.js';

describe('sanitizedExcerpt', () => {
  it('cuts out the values we sent and anything shaped like a credential', () => {
    const echoed =
      'bad request: X-Auth-Token: MIIEtoken123456789 and Authorization: SDK-HMAC-SHA256 Access=AK1, ' +
      'SignedHeaders=host, Signature=abcdef0123456789 from sent-secret-value';
    const excerpt = sanitizedExcerpt(echoed, ['sent-secret-value']);
    for (const leaked of ['MIIEtoken123456789', 'AK1', 'abcdef0123456789', 'sent-secret-value']) expect(excerpt).not.toContain(leaked);
    expect(excerpt).toContain('bad request');
  });

  it('is one short line', () => {
    const excerpt = sanitizedExcerpt(`a\r\n\tb\u0000${'c'.repeat(500)}`);
    expect(excerpt).toMatch(/^a b c+…$/);
    expect(excerpt.length).toBe(200);
  });

  it('summarizes an HTML page by its title, else by its text', () => {
    expect(htmlSummary('<html><head><title> Sign in </title></head></html>')).toBe('title: "Sign in"');
    expect(htmlSummary('<html><body><script>x()</script><h1>Gateway</h1> Timeout</body></html>')).toBe('Gateway Timeout');
  });
});
