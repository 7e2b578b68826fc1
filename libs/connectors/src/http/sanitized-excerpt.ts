const DEFAULT_MAX_CHARS = 200;
const REDACTED = '[redacted]';

/** Credential-shaped fragments a vendor (or a proxy page) may echo back from our request. */
const CREDENTIAL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Signature|Access|Credential)=[^,\s"'&]+/gi, `$1=${REDACTED}`],
  // "Authorization: <scheme> <value>" and JSON-ish `"X-Auth-Token": "<value>"`.
  [/\b(Authorization|X-Auth-Token|X-Security-Token|X-Subject-Token)(["']?\s*[:=]\s*["']?)[^\s"',}]+(\s+[^\s"',}]+)?/gi, `$1$2${REDACTED}`],
];

/**
 * A short, single-line, printable piece of a vendor body for an error message. Every value we
 * sent as an auth header is cut out, as is anything shaped like a signature or token.
 */
export function sanitizedExcerpt(text: string, secrets: readonly string[] = [], maxChars = DEFAULT_MAX_CHARS): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
  out = out
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return out.length > maxChars ? `${out.slice(0, maxChars - 1)}…` : out;
}

/** What an HTML page says about itself: its title, or else its text without the markup. */
export function htmlSummary(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim();
  if (title) return `title: "${title}"`;
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
