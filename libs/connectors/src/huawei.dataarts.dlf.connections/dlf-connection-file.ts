import { isJsonObject, type JsonObject, type JsonValue } from '#catalog-model';
import { printableEntryName } from '../archive-formats/zip-entry-name.js';
import { errorMessage } from '../error-message.js';
import { ArtifactFormatError } from '../errors.js';
import { jsonDepthExceeds, tooDeepReason } from '../json-depth.js';

/** One `connections/{name}.conn` of a DLF export, as the vendor wrote it (secrets included). */
export interface DlfConnectionFile {
  name: string;
  type: JsonValue;
  description: JsonValue;
  config: JsonValue;
  /** Top-level fields we do not know yet: kept, since a later DLF version may add meaningful ones. */
  extra: JsonObject;
}

const KNOWN_FIELDS = new Set(['name', 'type', 'description', 'config']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads one `.conn` entry. Errors never quote the content: it may hold a clear password, and
 * V8's JSON.parse messages include a piece of the input.
 */
export function readDlfConnectionFile(bytes: Buffer, entryName: string, artifact: string): DlfConnectionFile {
  const refuse = (what: string) => new ArtifactFormatError('BAD_CONN_JSON', `${artifact}: entry "${printableEntryName(entryName)}" ${what}`, artifact);

  let text: string;
  try {
    text = utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw refuse('is not UTF-8 text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(errorMessage(error))?.[1];
    throw refuse(`is not valid JSON${position ? ` (syntax error at position ${position})` : ''}`);
  }
  if (!isJsonObject(parsed)) throw refuse('is not a JSON object');
  if (jsonDepthExceeds(parsed)) throw refuse(tooDeepReason());
  const { name } = parsed;
  if (typeof name !== 'string' || name.trim() === '') throw refuse('has no connection name ("name")');

  const extra: JsonObject = {};
  for (const [field, value] of Object.entries(parsed)) {
    if (!KNOWN_FIELDS.has(field)) extra[field] = value;
  }
  return {
    name,
    type: parsed.type ?? null,
    description: parsed.description ?? null,
    config: parsed.config ?? {},
    extra,
  };
}
