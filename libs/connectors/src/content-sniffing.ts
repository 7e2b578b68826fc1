/**
 * What a body looks like from its first bytes. Vendors, proxies and login walls answer with the
 * wrong thing under a 200 (an HTML page where a zip was due), so we trust bytes over headers.
 */
export type SniffedContent = 'empty' | 'zip' | 'html' | 'json' | 'xml' | 'text' | 'binary';

const ZIP_SIGNATURES = [
  Buffer.from([0x50, 0x4b, 0x03, 0x04]), // a local file header: any zip with entries
  Buffer.from([0x50, 0x4b, 0x05, 0x06]), // an end of central directory: an empty zip
];

export function looksLikeZip(head: Buffer): boolean {
  return ZIP_SIGNATURES.some((signature) => head.subarray(0, 4).equals(signature));
}

function leadingText(head: Buffer): string {
  return head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
}

export function looksLikeHtml(head: Buffer): boolean {
  const text = leadingText(head).toLowerCase();
  return /^(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|title|meta)[\s>]/.test(text);
}

export function sniffContent(head: Buffer, contentType?: string | null): SniffedContent {
  if (head.length === 0) return 'empty';
  if (looksLikeZip(head)) return 'zip';
  if (looksLikeHtml(head) || /^\s*(text\/html|application\/xhtml\+xml)/i.test(contentType ?? '')) return 'html';
  const text = leadingText(head);
  if (/^[{[]/.test(text)) return 'json';
  if (text.startsWith('<')) return 'xml';
  // Control bytes other than whitespace mean binary; a UTF-8 decode of binary is full of U+FFFD.
  const sample = head.subarray(0, 512).toString('utf8');
  return /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(sample) ? 'binary' : 'text';
}

const DESCRIPTIONS: Record<SniffedContent, string> = {
  empty: 'an empty body',
  zip: 'a zip',
  html: 'an HTML page',
  json: 'a JSON document',
  xml: 'an XML document',
  text: 'plain text',
  binary: 'unrecognized binary data',
};

export function describeContent(content: SniffedContent): string {
  return DESCRIPTIONS[content];
}
