import type { CatalogEntry, EntryKind, JsonObject } from '#catalog-model';
import type { VendorCredential } from '#cloud-auth';
import { huaweiCallAuthorizer } from '../huawei-call-authorizer.js';
import { readZipEntries } from '../archive-formats/safe-zip-reader.js';
import { printableEntryName } from '../archive-formats/zip-entry-name.js';
import { parseConnectorConfig } from '../connector-config.js';
import type { ArchivedArtifact, Connector, ConnectorContext, RawArtifact } from '../connector.js';
import { ArtifactFormatError, ConfigError } from '../errors.js';
import { fileNameFromContentDisposition } from '../http/content-disposition.js';
import { rateLimitWith } from '../http/rate-limit-config.js';
import { VendorHttpClient } from '../http/vendor-http-client.js';
import { vendorRateLimitKey, type RateLimit } from '../http/vendor-rate-limiter.js';
import { readDlfConnectionFile, type DlfConnectionFile } from './dlf-connection-file.js';
import { dlfConnectionsConfigSchema, type DlfConnectionsConfig } from './dlf-connections-config.js';

export const DLF_CONNECTIONS_KIND = 'huawei.dataarts.dlf.connections';
export const DLF_EXPORT_CONNECTIONS_CALL = 'POST /v1/{project_id}/connections/export';
export const DLF_DEFAULT_EXPORT_FILE_NAME = 'DLF_All_DataConnections.zip';
/**
 * Our decision (the vendor publishes no quota for this call): one export at a time per endpoint,
 * at most two calls a second. A run makes one call; the limit matters when sources share a host.
 */
export const DLF_RATE_LIMIT: Readonly<RateLimit> = { perSecond: 2, concurrency: 1 };

/** Only direct children of connections/; anything else in the export is not a connection. */
const CONNECTION_ENTRY = /^connections\/[^/]+\.conn$/;
const PROGRESS_EVERY = 100;

/**
 * Huawei DataArts Factory (DLF): "export all connections" of a workspace, one zip holding one
 * `connections/{name}.conn` JSON file per data connection (see VENDORS.md section 4).
 */
export class DlfConnectionsConnector implements Connector<DlfConnectionsConfig> {
  readonly kind = DLF_CONNECTIONS_KIND;
  readonly description = 'Huawei DataArts Factory (DLF): all data connections of a workspace';
  readonly entryKinds: readonly EntryKind[] = ['connection'];

  validateConfig(raw: unknown): DlfConnectionsConfig {
    return parseConnectorConfig(this.kind, dlfConnectionsConfigSchema, raw);
  }

  async *fetch(config: DlfConnectionsConfig, ctx: ConnectorContext): AsyncIterable<RawArtifact> {
    const credential = requireCredential(ctx.credential);
    const client = new VendorHttpClient({
      authorize: huaweiCallAuthorizer(credential),
      timeoutMs: config.timeoutMs,
      logger: ctx.logger,
      rateLimitKey: vendorRateLimitKey('huawei.dataarts.dlf', config.endpoint),
      rateLimit: rateLimitWith(DLF_RATE_LIMIT, config.rateLimit),
    });
    ctx.progress({ callsPlanned: 1, callsDone: 0 });
    // Spooled inside the retried call, so an export cut short half way is fetched again.
    const response = await client.sendAndSpool({
      call: DLF_EXPORT_CONNECTIONS_CALL,
      method: 'POST',
      url: `${config.endpoint}/v1/${encodeURIComponent(config.projectId)}/connections/export`,
      headers: config.workspace ? { workspace: config.workspace } : {},
      expect: 'zip',
      signal: ctx.signal,
      // A POST only by the vendor's choice: the export reads the workspace and changes nothing.
      idempotent: true,
    });
    ctx.progress({ callsDone: 1 });
    yield {
      name: fileNameFromContentDisposition(response.headers.get('content-disposition')) ?? DLF_DEFAULT_EXPORT_FILE_NAME,
      call: DLF_EXPORT_CONNECTIONS_CALL,
      contentType: response.contentType,
      body: response.body,
      // Empty means the default workspace: re-parsing an old artifact must not take the
      // workspace from a configuration that changed since.
      meta: { workspace: config.workspace ?? '' },
    };
  }

  /**
   * All or nothing: the entries are yielded only once every `.conn` has been read, because a
   * partial list would make the run writer tombstone the connections it did not see.
   */
  async *parse(artifact: ArchivedArtifact, config: DlfConnectionsConfig, ctx: ConnectorContext): AsyncIterable<CatalogEntry> {
    const workspace = workspaceOf(artifact, config);
    const entries: CatalogEntry[] = [];
    const locatorById = new Map<string, string>();

    for await (const zipEntry of readZipEntries(artifact.localPath, { limits: config.limits, artifactName: artifact.name })) {
      ctx.signal.throwIfAborted();
      if (zipEntry.isDirectory) continue;
      if (!CONNECTION_ENTRY.test(zipEntry.name)) {
        ctx.logger.warn({ artifact: artifact.name, entry: zipEntry.name }, 'DLF export: skipped an entry that is not connections/*.conn');
        continue;
      }
      const connection = readDlfConnectionFile(await zipEntry.read(), zipEntry.name, artifact.name);
      const externalId = workspace ? `${workspace}/${connection.name}` : connection.name;
      const earlier = locatorById.get(externalId);
      if (earlier !== undefined) {
        throw new ArtifactFormatError(
          'DUPLICATE_CONNECTION',
          `${artifact.name}: entries "${printableEntryName(earlier)}" and "${printableEntryName(zipEntry.name)}" ` +
            `both hold connection "${printableEntryName(connection.name)}"`,
          artifact.name,
        );
      }
      locatorById.set(externalId, zipEntry.name);

      const { document, redactedPaths } = ctx.redactor.redactDocument(connectionDocument(connection, workspace));
      entries.push({
        kind: 'connection',
        externalId,
        name: connection.name,
        document,
        redactedPaths,
        origin: { artifactSha256: artifact.sha256, locator: zipEntry.name },
        scope: '',
      });
      if (entries.length % PROGRESS_EVERY === 0) ctx.progress({ itemsParsed: entries.length });
    }
    ctx.progress({ itemsParsed: entries.length });
    yield* entries;
  }
}

function requireCredential(credential: VendorCredential | null): VendorCredential {
  if (!credential) {
    throw new ConfigError(`${DLF_CONNECTIONS_KIND}: the source has no credential; DLF calls need an AK/SK or an IAM token`);
  }
  return credential;
}

function workspaceOf(artifact: ArchivedArtifact, config: DlfConnectionsConfig): string | undefined {
  const recorded = artifact.meta?.workspace;
  if (typeof recorded === 'string') return recorded === '' ? undefined : recorded;
  return config.workspace;
}

/** The normalized document, before redaction. The vendor's spelling of `type` is kept as is. */
function connectionDocument(connection: DlfConnectionFile, workspace: string | undefined): JsonObject {
  const document: JsonObject = {
    vendor: 'huawei',
    service: 'dataarts.dlf',
    name: connection.name,
    type: connection.type,
    description: connection.description,
    workspace: workspace ?? null,
    config: connection.config,
  };
  if (Object.keys(connection.extra).length > 0) document.extra = connection.extra;
  return document;
}
