/** `X-Sdk-Date` format: basic ISO 8601 in UTC, to the second (`20240102T030405Z`). */
const SDK_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** Returns undefined for anything that is not a real `YYYYMMDDTHHMMSSZ` instant. */
export function parseSdkDate(text: string): Date | undefined {
  const match = SDK_DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20240231 over to March: a round trip catches impossible dates.
  return formatSdkDate(date) === text ? date : undefined;
}
