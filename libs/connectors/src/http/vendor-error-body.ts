import { XMLParser } from 'fast-xml-parser';
import { isJsonObject, type JsonObject } from '#catalog-model';
import { looksLikeHtml } from '../content-sniffing.js';

/**
 * Where vendors put their own error code and message. Huawei: `{"error_code","error_msg"}`
 * (IAM nests `{"error":{"code","message"}}`); Alibaba: `{"Code","Message"}`, or the same under
 * `<Error>` in XML when the call asked for XML, or, in the DataWorks envelope,
 * `{"ErrorCode","ErrorMessage"}`.
 */
const CODE_FIELDS = ['error_code', 'errorCode', 'ErrorCode', 'Code', 'code'];
const MESSAGE_FIELDS = ['error_msg', 'errorMsg', 'ErrorMessage', 'Message', 'message', 'msg'];

/** A vendor code is an identifier ("APIG.1002", "Throttling.User", 401); anything else is not one. */
const VENDOR_CODE = /^[\w.:-]{1,64}$/;

/**
 * Error bodies are read only for their code and message: entities are left alone (no DOCTYPE
 * expansion, so no XML bomb or external entity), and only XML's own five and character
 * references are decoded in the two values picked.
 */
const xmlParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // An error body is two levels deep; a deep one is not an error body.
  maxNestedTags: 16,
});

export interface VendorErrorBody {
  vendorCode?: string;
  vendorMessage?: string;
}

/** The vendor's code and message from an error body in JSON or XML; nothing when it has neither. */
export function parseVendorErrorBody(text: string): VendorErrorBody {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  const holders = body.startsWith('<') ? xmlHolders(body) : jsonHolders(body);
  const pick = (fields: string[]): string | undefined => {
    for (const holder of holders) {
      for (const field of fields) {
        const value = holder[field];
        if (typeof value === 'string' && value.trim() !== '') return value.trim();
        if (typeof value === 'number') return String(value);
      }
    }
    return undefined;
  };
  const code = pick(CODE_FIELDS);
  return { vendorCode: code && VENDOR_CODE.test(code) ? code : undefined, vendorMessage: pick(MESSAGE_FIELDS) };
}

/** The object, and the `error` object nested in it (IAM). */
function jsonHolders(text: string): JsonObject[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isJsonObject(parsed)) return [];
  return isJsonObject(parsed.error) ? [parsed, parsed.error] : [parsed];
}

/** The children of the root element (`<Error><Code>`), as text. An HTML page is no error body. */
function xmlHolders(text: string): Array<Record<string, unknown>> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text) || looksLikeHtml(Buffer.from(text.slice(0, 512)))) return [];
  let parsed: unknown;
  try {
    parsed = xmlParser.parse(text);
  } catch {
    return [];
  }
  const roots = Object.values(parsed as Record<string, unknown>).filter(
    (value): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value),
  );
  const [root] = roots;
  if (!root || roots.length > 1) return [];
  return [Object.fromEntries(Object.entries(root).map(([name, value]) => [name, typeof value === 'string' ? decodeXmlText(value) : value]))];
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
    if (!name.startsWith('#')) return XML_ENTITIES[name] ?? whole;
    const point = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    const isXmlChar = point > 0 && point <= 0x10ffff && (point < 0xd800 || point > 0xdfff);
    return isXmlChar ? String.fromCodePoint(point) : whole;
  });
}
