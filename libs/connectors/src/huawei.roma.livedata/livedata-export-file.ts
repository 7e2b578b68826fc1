import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { isJsonObject, type JsonObject } from '#catalog-model';
import type { ArchivedArtifact } from '../connector.js';
import { errorMessage } from '../error-message.js';
import { ArtifactFormatError } from '../errors.js';
import { jsonDepthExceeds, tooDeepReason } from '../json-depth.js';
import type { RomaLiveDataLimits } from './roma-livedata-config.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Where a YAML error is, never what is there: the yaml library quotes the offending lines in its
 * messages, and an export holds signature secrets.
 */
function yamlErrorWhere(error: unknown): string {
  const { code, linePos } = error as { code?: unknown; linePos?: { line: number; col: number }[] };
  const at = linePos?.[0] ? ` at line ${linePos[0].line}, column ${linePos[0].col}` : '';
  return typeof code === 'string' ? `${code}${at}` : `${(error as Error).name ?? 'error'}${at}`;
}

/**
 * Reads a livedata export as the vendor wrote it: JSON or YAML (what `format` asked for, but the
 * bytes decide), within the size and alias limits. Only Swagger 2.0 is a livedata export.
 * Errors name the artifact and a position, never the content.
 */
export async function readLiveDataExport(artifact: ArchivedArtifact, limits: RomaLiveDataLimits): Promise<JsonObject> {
  const refuse = (code: string, what: string) => new ArtifactFormatError(code, `${artifact.name}: ${what}`, artifact.name);
  if (artifact.size > limits.maxExportBytes) {
    throw refuse('EXPORT_TOO_LARGE', `the export is ${artifact.size} bytes, more than the ${limits.maxExportBytes} bytes allowed (limits.maxExportBytes)`);
  }
  let text: string;
  try {
    text = utf8.decode(await readFile(artifact.localPath)).replace(/^\uFEFF/, '');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') throw error;
    throw refuse('NOT_UTF8', 'the export is not UTF-8 text');
  }

  let document: unknown;
  if (/^\s*\{/.test(text)) {
    try {
      document = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(errorMessage(error))?.[1];
      throw refuse('BAD_JSON', `the export is not valid JSON${position ? ` (syntax error at position ${position})` : ''}`);
    }
  } else {
    try {
      // prettyErrors (the default) gives the line and column; its message quotes the text and is never used.
      document = parseYaml(text, { maxAliasCount: limits.maxYamlAliases, uniqueKeys: true });
    } catch (error) {
      throw refuse('BAD_YAML', `the export is not valid YAML (${yamlErrorWhere(error)})`);
    }
  }
  if (!isJsonObject(document)) throw refuse('NOT_SWAGGER_2', 'the export is not a JSON or YAML object');
  if (jsonDepthExceeds(document)) throw refuse(/^\s*\{/.test(text) ? 'BAD_JSON' : 'BAD_YAML', `the export ${tooDeepReason()}`);
  if (document.swagger !== '2.0') {
    const version = typeof document.openapi === 'string' ? `OpenAPI ${document.openapi.slice(0, 16)}` : 'no "swagger": "2.0"';
    throw refuse('NOT_SWAGGER_2', `a livedata export is Swagger 2.0; this file has ${version}`);
  }
  if (!isJsonObject(document.paths)) throw refuse('NOT_SWAGGER_2', 'the export has no "paths" object');
  return document;
}
