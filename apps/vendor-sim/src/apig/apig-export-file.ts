import type { JsonObject } from '#catalog-model';
import { stringify as stringifyYaml } from 'yaml';

/** `type` of the export request; `yml` is the vendor's other spelling of YAML. */
export const APIG_EXPORT_TYPES = ['json', 'yaml', 'yml'] as const;
export type ApigExportType = (typeof APIG_EXPORT_TYPES)[number];

/** The file as sent: JSON indented by two spaces, or YAML (never folded, so long values stay on one line). */
export function serializeApigExport(document: JsonObject, type: ApigExportType): Buffer {
  const text = type === 'json' ? `${JSON.stringify(document, null, 2)}\n` : stringifyYaml(document, { lineWidth: 0 });
  return Buffer.from(text, 'utf8');
}

/**
 * The vendor's default `version`: the export time. Our format (the vendor does not document one):
 * `YYYY-MM-DD HH:mm:ss`, UTC. It is the only part of an export that changes when the estate does not.
 */
export function exportVersionAt(now: Date): string {
  return now.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

/** Stands for `info.version` in a cached serialization; spliced with the real one at every call. */
const VERSION_TOKEN = 'APIGSIMEXPORTVERSIONTOKEN';

/** A serialized export without its version: the bytes before and after it. */
export interface SerializedExport {
  before: Buffer;
  after: Buffer;
  type: ApigExportType;
}

/**
 * Serializes the document once with a token as its version, so that each call only splices the
 * export time in. Null when the token does not appear exactly once (a description that happens
 * to hold it): the caller then serializes in full.
 */
export function serializeApigExportWithoutVersion(document: JsonObject, type: ApigExportType): SerializedExport | null {
  const text = serializeApigExport({ ...document, info: { ...(document.info as JsonObject), version: VERSION_TOKEN } }, type).toString('utf8');
  const at = text.indexOf(VERSION_TOKEN);
  if (at < 0 || text.indexOf(VERSION_TOKEN, at + 1) >= 0) return null;
  return { before: Buffer.from(text.slice(0, at), 'utf8'), after: Buffer.from(text.slice(at + VERSION_TOKEN.length), 'utf8'), type };
}

/**
 * The whole file with `version` in place, written the way the serializer writes it alone; null
 * for a version the splice cannot write (control characters, non-ASCII), to be serialized in full.
 */
export function withExportVersion(serialized: SerializedExport, version: string): Buffer | null {
  if (!/^[\x20-\x7e]*$/.test(version)) return null;
  const quoted = serialized.type === 'json' ? JSON.stringify(version) : stringifyYaml(version, { lineWidth: 0 }).trimEnd();
  // JSON: the token sits inside its quotes already; YAML: it is a plain scalar.
  const written = serialized.type === 'json' ? quoted.slice(1, -1) : quoted;
  if (written.includes('\n')) return null;
  return Buffer.concat([serialized.before, Buffer.from(written, 'utf8'), serialized.after]);
}

/** `{group}_{env}_{define}.{type}`; the name is ASCII-safe in `filename` and exact in `filename*`. */
export function apigExportContentDisposition(groupName: string, envName: string, define: string, type: ApigExportType): string {
  const name = `${groupName}_${envName}_${define}.${type}`;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
