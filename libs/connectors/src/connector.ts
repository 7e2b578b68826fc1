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
  /**
   * The part of the source this artifact covers (see CatalogEntry.scope). When it cannot be
   * parsed, only that part fails and the run ends `partial`; without a scope the run fails.
   */
  scope?: string;
  meta?: Record<string, string | number | boolean>;
}

/** A raw artifact after the run engine archived it: hashed, stored, and spooled to a local file. */
export interface ArchivedArtifact {
  name: string;
  call: string;
  contentType?: string;
  sha256: string;
  size: number;
  scope?: string;
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
  /**
   * Records what the vendor says a part of the source holds (a listing's count, TotalCount). At
   * the end of the run, a part with fewer entries than expected is a shortfall: the run ends
   * `partial`, naming the part, and that part's missing items are not tombstoned.
   */
  expect(scope: string, count: number): void;
  /**
   * A part of the source could not be fetched (e.g. one API group's export failed after its
   * retries): the connector reports it and goes on with the other parts. The run ends `partial`.
   * Throwing instead fails the whole run, which is right when nothing else can be trusted.
   */
  partFailed(scope: string, error: unknown): void;
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
