import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { CatalogEntry, EntryKind, SecretRedactor } from '#catalog-model';
import type { VendorCredential } from '#cloud-auth';

/** One raw export as the vendor sent it. The body is consumed before the next one is pulled. */
export interface RawArtifact {
  /** The file name the vendor gave it (Content-Disposition) or a descriptive one. */
  name: string;
  /** The vendor call that produced it, e.g. "POST /v1/{project_id}/connections/export". */
  call: string;
  contentType?: string;
  body: Readable;
  meta?: Record<string, string | number | boolean>;
}

/** A raw artifact after the run engine archived it: hashed, stored, and spooled to a local file. */
export interface ArchivedArtifact {
  name: string;
  call: string;
  contentType?: string;
  sha256: string;
  size: number;
  /** Local copy for parsers that need random access (zip). Removed by the engine after the run. */
  localPath: string;
  meta?: Record<string, string | number | boolean>;
}

export interface ConnectorProgress {
  callsDone?: number;
  callsPlanned?: number;
  itemsParsed?: number;
}

export interface ConnectorContext {
  logger: Logger;
  signal: AbortSignal;
  credential: VendorCredential | null;
  /** Replaces secrets with salted hashes: entries leave the connector already redacted. */
  redactor: SecretRedactor;
  progress(update: ConnectorProgress): void;
}

/**
 * A source kind: how to call one vendor export and how to read what it returns. The core never
 * branches on a vendor: everything vendor-specific lives behind this interface.
 */
export interface Connector<Cfg = unknown> {
  readonly kind: string;
  readonly description: string;
  readonly entryKinds: readonly EntryKind[];
  /** Parses and checks a source's configuration; throws ConfigError naming the bad field. */
  validateConfig(raw: unknown): Cfg;
  fetch(config: Cfg, ctx: ConnectorContext): AsyncIterable<RawArtifact>;
  parse(artifact: ArchivedArtifact, config: Cfg, ctx: ConnectorContext): AsyncIterable<CatalogEntry>;
  /** What the vendor says it holds, when it can tell (completeness checks). */
  expectedCount?(config: Cfg, ctx: ConnectorContext): Promise<number | null>;
}
