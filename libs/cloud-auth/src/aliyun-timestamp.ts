/**
 * The timestamp both Alibaba signature styles carry (`x-acs-date` in V3, `Timestamp` in RPC):
 * ISO 8601 in UTC to the second, `2024-03-05T06:07:08Z`, as the official SDKs write it.
 */
const ALIYUN_TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export function formatAliyunTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Returns undefined for anything that is not a real `YYYY-MM-DDTHH:mm:ssZ` instant. */
export function parseAliyunTimestamp(text: string): Date | undefined {
  const match = ALIYUN_TIMESTAMP_PATTERN.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2024-02-31 over to March: a round trip catches impossible dates.
  return formatAliyunTimestamp(date) === text ? date : undefined;
}
