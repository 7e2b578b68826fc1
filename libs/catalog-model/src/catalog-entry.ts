import type { JsonObject } from './json.js';

/** What a catalog item is. APIs come from API exports, connections from data-connection exports. */
export type EntryKind = 'api' | 'connection';

/**
 * One normalized thing a connector found in a raw export. The document holds no secret value:
 * connectors redact before yielding (see redaction.ts), and `redactedPaths` says where.
 */
export interface CatalogEntry {
  kind: EntryKind;
  /** Stable identity inside its source; the same vendor object keeps the same id across runs. */
  externalId: string;
  name: string;
  document: JsonObject;
  /** JSON pointers (RFC 6901) of the fields whose values were replaced by a redaction marker. */
  redactedPaths: string[];
  /** Where in the raw artifact the entry came from (e.g. the zip entry name). */
  origin: { artifactSha256: string; locator?: string };
  /**
   * The part of the source the entry belongs to (an API group and environment, an app, a
   * DataWorks project, a workspace...), as the connector names it in ctx.coverage calls. When a
   * part fails, items of that part are kept instead of being tombstoned. '' = the whole source.
   */
  scope: string;
}
