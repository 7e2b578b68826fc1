import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ArtifactFormatError } from '../errors.js';

/** Deeper than any DataWorks answer (envelope, Data, Apis, details, parameter: 6): more is hostile. */
const MAX_XML_DEPTH = 32;

/**
 * Reads an XML answer of the Alibaba gateway into plain objects: elements become properties,
 * repeated elements arrays, every value text (the caller types them). A DOCTYPE is refused
 * outright: the gateway never sends one, and its entity declarations are how XML bombs (billion
 * laughs) and external entities get in. Only XML's predefined entities and numeric character
 * references are decoded.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  // Leading and trailing spaces of a description are data, as they are in the JSON answer.
  trimValues: false,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
  processEntities: { enabled: true, maxEntityCount: 0, maxEntitySize: 1, maxExpandedLength: 1_000_000 },
});

/** Text between elements (indentation of a pretty-printed answer) is not data. */
function withoutLayoutText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLayoutText);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '#text' && typeof child === 'string' && child.trim() === '') continue;
    out[key] = withoutLayoutText(child);
  }
  return out;
}

export function parseAliyunXml(text: string, artifact: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new ArtifactFormatError('XML_DOCTYPE', `${artifact}: refused an XML document with a DOCTYPE or entity declaration (the vendor never sends one; it is how XML bombs work)`, artifact);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ArtifactFormatError('BAD_XML', `${artifact}: not well-formed XML (${valid.err.msg} at line ${valid.err.line}, column ${valid.err.col})`, artifact);
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (error) {
    throw new ArtifactFormatError('BAD_XML', `${artifact}: the XML cannot be read (${(error as Error).message})`, artifact, { cause: error });
  }
  return withoutLayoutText(parsed) as Record<string, unknown>;
}
