import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { JsonValue } from './json.js';

/** SHA-256 (hex) of a document's canonical JSON: equal content, equal hash, whatever key order. */
export function contentHash(document: JsonValue): string {
  return createHash('sha256').update(canonicalJson(document), 'utf8').digest('hex');
}
