import { createHmac } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/**
 * The marker that replaces a secret in a normalized document. `hmac-sha256:` values are keyed
 * with an installation secret (the salt), so a changed secret still shows up as a change while
 * the value itself cannot be recovered or guessed offline from the catalog alone.
 */
export interface RedactedValue extends JsonObject {
  $redacted: string;
}

export const MASKED_BY_VENDOR = 'masked-by-vendor';

/** Words that mark a field as secret wherever it appears in a document ("dbPassword", "sk"...). */
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'credential', 'credentials', 'sk', 'passphrase']);
/** A field whose last word is "key" holds key material ("kmsKey", "secret_key"), unless it is public. */
const NON_SECRET_KEY_QUALIFIERS = new Set(['public', 'primary', 'sort', 'partition', 'foreign', 'row']);

/** Splits "kmsKey", "secret_key", "X-Api-Key" into lower-case words. */
function fieldWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Field names repeat across every row of an export: classify each name once. */
const secretFieldNameCache = new Map<string, boolean>();

export function isSecretFieldName(name: string): boolean {
  let secret = secretFieldNameCache.get(name);
  if (secret === undefined) {
    secret = classifyFieldName(name);
    if (secretFieldNameCache.size < 10_000) secretFieldNameCache.set(name, secret);
  }
  return secret;
}

function classifyFieldName(name: string): boolean {
  const words = fieldWords(name);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  const last = words.at(-1);
  if (last !== 'key' && last !== 'keys') return false;
  const qualifier = words.at(-2);
  return qualifier === undefined || !NON_SECRET_KEY_QUALIFIERS.has(qualifier);
}

export function isRedactedValue(value: unknown): value is RedactedValue {
  return isJsonObject(value) && typeof value.$redacted === 'string' && Object.keys(value).length === 1;
}

export class SecretRedactor {
  constructor(private readonly salt: Buffer) {
    if (salt.length < 16) throw new Error('SecretRedactor: the salt must be at least 16 bytes');
  }

  redactValue(value: JsonValue): RedactedValue {
    if (typeof value === 'string' && /^\*+$/.test(value)) return { $redacted: MASKED_BY_VENDOR };
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const mac = createHmac('sha256', this.salt).update(text, 'utf8').digest('hex');
    return { $redacted: `hmac-sha256:${mac}` };
  }

  /**
   * Returns a copy of the document in which every value under a secret-looking field name is
   * replaced by a redaction marker, and the JSON pointers of what was replaced. Empty and null
   * values are kept: there is nothing to hide and "no password set" is useful information.
   */
  redactDocument(document: JsonObject): { document: JsonObject; redactedPaths: string[] } {
    const redactedPaths: string[] = [];
    const visit = (value: JsonValue, path: string, secret: boolean): JsonValue => {
      if (secret && value !== null && value !== '' && !isJsonObject(value) && !Array.isArray(value)) {
        redactedPaths.push(path);
        return this.redactValue(value);
      }
      if (Array.isArray(value)) return value.map((item, i) => visit(item, `${path}/${i}`, secret));
      if (isJsonObject(value)) {
        const out: JsonObject = {};
        for (const [key, child] of Object.entries(value)) {
          const token = key.replace(/~/g, '~0').replace(/\//g, '~1');
          out[key] = visit(child, `${path}/${token}`, secret || isSecretFieldName(key));
        }
        return out;
      }
      return value;
    };
    return { document: visit(document, '', false) as JsonObject, redactedPaths };
  }
}
