import SwaggerParser from '@apidevtools/swagger-parser';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { isJsonObject, type JsonObject, type JsonValue } from '#catalog-model';
import { errorMessage } from '../error-message.js';
import { ArtifactFormatError } from '../errors.js';
import { formatBytes } from '../http/response-size-limit.js';
import { jsonDepthExceeds, tooDeepReason } from '../json-depth.js';

/** YAML aliases allowed in one export: APIG writes none; a few are harmless, thousands are an attack. */
export const APIG_YAML_MAX_ALIASES = 100;

/** An APIG export read into memory: the document, its OpenAPI version, and its internal `$ref`s. */
export interface ApigExportFile {
  oasVersion: '2.0' | '3.0' | '3.1';
  document: JsonObject;
  /** Resolves an internal `$ref` ("#/definitions/x"); undefined for one that points nowhere. */
  resolveRef(ref: string): JsonValue | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of an export as a plain object. Errors never quote the content: a backend parameter
 * may hold a secret, and both V8's JSON errors and yaml's "pretty" errors include the source.
 */
export function parseExportText(bytes: Buffer, artifact: string): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ArtifactFormatError('NOT_UTF8', `${artifact}: the export is not UTF-8 text`, artifact);
  }
  if (/^\s*[{[]/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(errorMessage(error))?.[1];
      throw new ArtifactFormatError('BAD_OPENAPI_JSON', `${artifact}: the export is not valid JSON${position ? ` (syntax error at position ${position})` : ''}`, artifact);
    }
    if (jsonDepthExceeds(parsed)) throw new ArtifactFormatError('BAD_OPENAPI_JSON', `${artifact}: the export ${tooDeepReason()}`, artifact);
    return parsed;
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { maxAliasCount: APIG_YAML_MAX_ALIASES, prettyErrors: false });
  } catch (error) {
    if (/excessive alias count/i.test(errorMessage(error))) {
      throw new ArtifactFormatError('BAD_OPENAPI_YAML', `${artifact}: the export uses more than ${APIG_YAML_MAX_ALIASES} YAML aliases (RESOURCE_EXHAUSTION: an alias bomb?)`, artifact);
    }
    const parseError = error instanceof YAMLParseError ? error : null;
    const where = parseError?.linePos ? ` (line ${parseError.linePos[0].line}, column ${parseError.linePos[0].col})` : '';
    throw new ArtifactFormatError('BAD_OPENAPI_YAML', `${artifact}: the export is not valid YAML${where}: ${parseError?.code ?? 'unreadable'}`, artifact);
  }
  if (jsonDepthExceeds(parsed)) throw new ArtifactFormatError('BAD_OPENAPI_YAML', `${artifact}: the export ${tooDeepReason()}`, artifact);
  return parsed;
}

/**
 * Reads an export: size limit first, then JSON or YAML (bounded aliases), then swagger-parser's
 * `parse`, which checks it is a Swagger 2.0 / OpenAPI 3.x document. Not `validate`: real APIG
 * exports break the schema (`responses: {}`), and a backup must keep what the vendor holds.
 * Internal `$ref`s are resolved by swagger-parser on demand (`$refs.get`), never expanded in
 * place, so a document whose references multiply cannot blow up; external ones stay unresolved.
 */
export async function readApigExportFile(bytes: Buffer, artifact: string, maxBytes: number): Promise<ApigExportFile> {
  if (bytes.length > maxBytes) {
    throw new ArtifactFormatError('EXPORT_TOO_LARGE', `${artifact}: the export is ${formatBytes(bytes.length)}, above the limit of ${formatBytes(maxBytes)}`, artifact);
  }
  const value = parseExportText(bytes, artifact);
  if (!isJsonObject(value)) throw new ArtifactFormatError('NOT_OPENAPI', `${artifact}: the export is not an OpenAPI object`, artifact);

  const parser = new SwaggerParser();
  try {
    // resolve() parses first (the version checks), then indexes the internal references.
    await parser.resolve(value as never, { resolve: { external: false } });
  } catch (error) {
    throw new ArtifactFormatError('NOT_OPENAPI', `${artifact}: ${errorMessage(error)}`, artifact, { cause: error });
  }
  const oasVersion = value.swagger === '2.0' ? '2.0' : String(value.openapi).startsWith('3.0') ? '3.0' : '3.1';
  return {
    oasVersion,
    document: value,
    resolveRef: (ref) => {
      if (!ref.startsWith('#/')) return undefined;
      try {
        return parser.$refs.get(ref) as JsonValue;
      } catch {
        return undefined;
      }
    },
  };
}
