/**
 * A Retry-After header as a wait in milliseconds (RFC 9110 10.2.3): delay-seconds or an
 * HTTP-date. A date in the past means "now"; anything else unreadable is ignored.
 */
export function parseRetryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // All three HTTP-date forms open with the day name; Date.parse alone takes "-5" for a year.
  if (!/^[A-Za-z]{3}/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
