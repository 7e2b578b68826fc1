import { parseRetryAfterMs } from './retry-after.js';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('30', now)).toBe(30_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date as the time left until it', () => {
    expect(parseRetryAfterMs('Wed, 01 May 2024 10:00:42 GMT', now)).toBe(42_000);
    expect(parseRetryAfterMs('Wed, 01 May 2024 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores what is neither', () => {
    for (const header of [null, undefined, '', '-5', '1.5', 'soon']) expect(parseRetryAfterMs(header, now)).toBeUndefined();
  });
});
