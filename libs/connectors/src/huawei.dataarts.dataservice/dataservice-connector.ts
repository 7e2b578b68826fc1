import { Readable } from 'node:stream';
import type { CatalogEntry, EntryKind } from '#catalog-model';
import type { VendorCredential } from '#cloud-auth';
import { huaweiCallAuthorizer } from '../huawei-call-authorizer.js';
import { resolveZipLimits } from '../archive-formats/zip-limits.js';
import { readZipEntries } from '../archive-formats/safe-zip-reader.js';
import { printableEntryName } from '../archive-formats/zip-entry-name.js';
import { parseConnectorConfig } from '../connector-config.js';
import type { ArchivedArtifact, Connector, ConnectorContext, RawArtifact } from '../connector.js';
import { ArtifactFormatError, ConfigError } from '../errors.js';
import { fileNameFromContentDisposition } from '../http/content-disposition.js';
import { rateLimitWith } from '../http/rate-limit-config.js';
import { VendorHttpClient } from '../http/vendor-http-client.js';
import { vendorRateLimitKey, type RateLimit } from '../http/vendor-rate-limiter.js';
import { mapApiRow } from './dataservice-api-document.js';
import { dataServiceConfigSchema, type DataServiceConfig } from './dataservice-config.js';
import { waitingOutExportLimit, type ExportLimitBackoff } from './export-limit-wait.js';
import { redactApiDocument } from './secret-parameter-values.js';
import { readApiRows } from './workbook-api-rows.js';
import { precheckWorkbook } from './workbook-precheck.js';

export const DATASERVICE_KIND = 'huawei.dataarts.dataservice';
export const DATASERVICE_EXPORT_CALL = 'POST /v1/{project_id}/service/export/zip';
export const DATASERVICE_DEFAULT_EXPORT_FILE_NAME = 'DataService_APIs.zip';
/** Our decision (no published quota): one export at a time per endpoint; the vendor's own limit is per workspace and minute. */
export const DATASERVICE_RATE_LIMIT: Readonly<RateLimit> = { perSecond: 1, concurrency: 1 };

const WORKBOOK_ENTRY = /\.xlsx$/i;
const PROGRESS_EVERY = 200;

export interface DataServiceConnectorOptions {
  /** How the per-minute export limit is waited out; tests shorten it. */
  exportLimitBackoff?: ExportLimitBackoff;
}

/**
 * Huawei DataArts Studio DataService: "export all APIs" of a workspace, a zip of `.xlsx`
 * workbooks with one sheet per API type (VENDORS.md section 1). One export per run, its
 * per-minute limit waited out; every workbook read as a stream, columns matched by header.
 */
export class DataServiceConnector implements Connector<DataServiceConfig> {
  readonly kind = DATASERVICE_KIND;
  readonly description = 'Huawei DataArts Studio DataService: all APIs of a workspace (zip of Excel workbooks)';
  readonly entryKinds: readonly EntryKind[] = ['api'];

  constructor(private readonly options: DataServiceConnectorOptions = {}) {}

  validateConfig(raw: unknown): DataServiceConfig {
    return parseConnectorConfig(this.kind, dataServiceConfigSchema, raw);
  }

  async *fetch(config: DataServiceConfig, ctx: ConnectorContext): AsyncIterable<RawArtifact> {
    const credential = requireCredential(ctx.credential);
    const client = new VendorHttpClient({
      authorize: huaweiCallAuthorizer(credential),
      timeoutMs: config.timeoutMs,
      logger: ctx.logger,
      rateLimitKey: vendorRateLimitKey(DATASERVICE_KIND, config.endpoint),
      rateLimit: rateLimitWith(DATASERVICE_RATE_LIMIT, config.rateLimit),
    });
    const headers: Record<string, string> = {
      // The vendor asks for charset=utf8 when the body may hold Chinese text (filters can).
      'content-type': 'application/json;charset=utf8',
      workspace: config.workspace,
    };
    if (config.dlmType) headers['dlm-type'] = config.dlmType;

    ctx.progress({ callsPlanned: 1, callsDone: 0 });
    const response = await waitingOutExportLimit(
      () =>
        // Spooled inside the retried call, so an export cut short half way is fetched again.
        client.sendAndSpool({
          call: DATASERVICE_EXPORT_CALL,
          method: 'POST',
          url: `${config.endpoint}/v1/${encodeURIComponent(config.projectId)}/service/export/zip`,
          headers,
          body: JSON.stringify(config.filters ?? {}),
          expect: 'zip',
          signal: ctx.signal,
          // A POST by the vendor's choice: the export reads the workspace and changes nothing.
          idempotent: true,
        }),
      { call: DATASERVICE_EXPORT_CALL, workspace: config.workspace, signal: ctx.signal, logger: ctx.logger, backoff: this.options.exportLimitBackoff },
    );
    ctx.progress({ callsDone: 1 });
    yield {
      name: fileNameFromContentDisposition(response.headers.get('content-disposition')) ?? DATASERVICE_DEFAULT_EXPORT_FILE_NAME,
      call: DATASERVICE_EXPORT_CALL,
      contentType: response.contentType,
      body: response.body,
      scope: scopeOf(config.workspace),
      // Re-parsing an old artifact must not take these from a configuration that changed since.
      meta: { workspace: config.workspace, dlmType: config.dlmType ?? '' },
    };
  }

  /**
   * All or nothing: entries are yielded once every workbook has been read, because a partial
   * list would make the run writer tombstone the APIs it did not see.
   */
  async *parse(artifact: ArchivedArtifact, config: DataServiceConfig, ctx: ConnectorContext): AsyncIterable<CatalogEntry> {
    const workspace = typeof artifact.meta?.workspace === 'string' ? artifact.meta.workspace : config.workspace;
    const scope = artifact.scope ?? scopeOf(workspace);
    const limits = resolveZipLimits(config.limits);
    const entries: CatalogEntry[] = [];
    const locatorById = new Map<string, string>();

    for await (const zipEntry of readZipEntries(artifact.localPath, { limits, artifactName: artifact.name })) {
      ctx.signal.throwIfAborted();
      if (zipEntry.isDirectory) continue;
      if (!WORKBOOK_ENTRY.test(zipEntry.name)) {
        ctx.logger.warn({ artifact: artifact.name, entry: zipEntry.name }, 'DataService export: skipped an entry that is not an .xlsx workbook');
        continue;
      }
      // In memory (an entry is at most maxEntryBytes), checked, then read by exceljs.
      const workbook = await zipEntry.read();
      await precheckWorkbook(workbook, { artifact: artifact.name, entry: printableEntryName(zipEntry.name) }, limits);
      const rows = readApiRows(Readable.from([workbook]), {
        artifact: artifact.name,
        entry: printableEntryName(zipEntry.name),
        // exceljs inflates the workbook's own parts: bound them like any entry of the export.
        maxSheetBytes: limits.maxTotalBytes,
        onSkippedSheet: (sheet, reason) => ctx.logger.warn({ artifact: artifact.name, entry: zipEntry.name, sheet, reason }, 'DataService export: skipped a sheet'),
      });
      for await (const row of rows) {
        const { externalId, name, document } = mapApiRow(row);
        const locator = `${zipEntry.name}#${row.sheet}!${row.number}`;
        const earlier = locatorById.get(externalId);
        if (earlier !== undefined) {
          throw new ArtifactFormatError(
            'DUPLICATE_API',
            `${artifact.name}: ${printableEntryName(earlier)} and ${printableEntryName(locator)} both hold API ${printableEntryName(externalId)}`,
            artifact.name,
          );
        }
        locatorById.set(externalId, locator);
        const redacted = redactApiDocument(document, ctx.redactor);
        entries.push({
          kind: 'api',
          externalId,
          name,
          document: redacted.document,
          redactedPaths: redacted.redactedPaths,
          origin: { artifactSha256: artifact.sha256, locator },
          scope,
        });
        if (entries.length % PROGRESS_EVERY === 0) ctx.progress({ itemsParsed: entries.length });
      }
    }
    ctx.progress({ itemsParsed: entries.length });
    yield* entries;
  }
}

function scopeOf(workspace: string): string {
  return `workspace:${workspace}`;
}

function requireCredential(credential: VendorCredential | null): VendorCredential {
  if (!credential) throw new ConfigError(`${DATASERVICE_KIND}: the source has no credential; DataService calls need an AK/SK or an IAM token`);
  return credential;
}
