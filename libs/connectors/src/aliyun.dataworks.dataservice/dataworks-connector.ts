import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { CatalogEntry, EntryKind, JsonObject } from '#catalog-model';
import { aliyunAccessKeyOf, aliyunV3RequestAuthorizer, type AliyunAccessKey, type VendorCredential } from '#cloud-auth';
import { parseConnectorConfig } from '../connector-config.js';
import type { ArchivedArtifact, Connector, ConnectorContext, RawArtifact } from '../connector.js';
import { errorMessage } from '../error-message.js';
import { ArtifactFormatError, ConfigError, ConnectorError, VendorCallError } from '../errors.js';
import { rateLimitWith } from '../http/rate-limit-config.js';
import { VendorHttpClient } from '../http/vendor-http-client.js';
import { vendorRateLimitKey, type RateLimit } from '../http/vendor-rate-limiter.js';
import { mapDataWorksApi } from './dataworks-api-document.js';
import { dataWorksConfigSchema, type DataWorksConfig } from './dataworks-config.js';
import { readDataWorksPage } from './dataworks-page.js';
import { dataWorksPageFetcher, LIST_APIS_CALL, pageArtifactName } from './dataworks-page-fetcher.js';
import { readProjectPass, type ReceivedPage } from './dataworks-project-pass.js';

export const DATAWORKS_DATASERVICE_KIND = 'aliyun.dataworks.dataservice';
/**
 * Our decision (DataWorks publishes no per-call quota for this API): ten pages a second, two at a
 * time, per endpoint. A workspace is read page after page; the limit matters when sources share it.
 */
export const DATAWORKS_RATE_LIMIT: Readonly<RateLimit> = { perSecond: 10, concurrency: 2 };
/** A page holds at most 100 APIs; anything near this is not a DataWorks page. */
const MAX_PAGE_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Codes that say the credential or the request itself is wrong, for every workspace alike: the
 * run fails rather than reporting each workspace as a failed part.
 */
const RUN_FATAL_CODES = /^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|InvalidSecurityToken|InvalidTimeStamp|SignatureNonceUsed|InvalidAction|InvalidVersion)/;

/** The vendor's code; an XML error body is not parsed by the HTTP client, so its `<Code>` is read from the excerpt. */
function isRunFatal(error: unknown): boolean {
  if (!(error instanceof VendorCallError)) return !(error instanceof ArtifactFormatError);
  if (error.code === 'ABORTED' || error.extra.status === 401) return true;
  // The HTTP client reads the vendor's code from JSON and XML error bodies alike.
  const code = error.extra.vendorCode;
  return code !== undefined && RUN_FATAL_CODES.test(code);
}

function requireKey(credential: VendorCredential | null): AliyunAccessKey {
  if (!credential) throw new ConfigError(`${DATAWORKS_DATASERVICE_KIND}: the source has no credential; DataWorks calls need an aliyun-ak credential`);
  try {
    return aliyunAccessKeyOf(credential);
  } catch (error) {
    throw new ConfigError(`${DATAWORKS_DATASERVICE_KIND}: ${errorMessage(error)}`);
  }
}

/**
 * Alibaba Cloud DataWorks DataService Studio: every API (development state) of the configured
 * workspaces, through ListDataServiceApis pages (VENDORS.md section 5). Each page is archived as
 * received and is one artifact; a workspace's pages are yielded only once a full read of them
 * was consistent (see readProjectPass), so APIs created or deleted while we page are neither
 * missed nor counted twice.
 */
export class DataWorksConnector implements Connector<DataWorksConfig> {
  readonly kind = DATAWORKS_DATASERVICE_KIND;
  readonly description = 'Alibaba Cloud DataWorks DataService Studio: every API of the listed workspaces (ListDataServiceApis)';
  readonly entryKinds: readonly EntryKind[] = ['api'];

  validateConfig(raw: unknown): DataWorksConfig {
    return parseConnectorConfig(this.kind, dataWorksConfigSchema, raw);
  }

  async *fetch(config: DataWorksConfig, ctx: ConnectorContext): AsyncIterable<RawArtifact> {
    const key = requireKey(ctx.credential);
    const client = new VendorHttpClient({
      authorize: config.signature === 'v3' ? aliyunV3RequestAuthorizer(key) : undefined,
      timeoutMs: config.timeoutMs,
      logger: ctx.logger,
      rateLimitKey: vendorRateLimitKey('aliyun.dataworks', config.endpoint),
      rateLimit: rateLimitWith(DATAWORKS_RATE_LIMIT, config.rateLimit),
    });
    const call = LIST_APIS_CALL[config.signature];
    // One call per workspace at least; the real number is known once each first page tells.
    let callsDone = 0;
    let callsPlanned = config.projects.length;
    ctx.progress({ callsPlanned, callsDone });

    for (const projectId of config.projects) {
      const scope = `project:${projectId}`;
      for (let pass = 1; pass <= config.maxPasses; pass++) {
        let plannedHere = 1;
        const outcome = await readProjectPass(
          dataWorksPageFetcher({ client, key, config, projectId, pass, signal: ctx.signal }),
          config.pageSize,
          (_read, plannedPages) => {
            callsDone++;
            callsPlanned += Math.max(0, plannedPages - plannedHere);
            plannedHere = Math.max(plannedHere, plannedPages);
            ctx.progress({ callsDone, callsPlanned });
          },
        );
        const meta = (pageNumber: number, discarded?: string) => ({
          projectId,
          pageNumber,
          pass,
          format: config.format,
          ...(discarded ? { discarded } : {}),
        });

        if (outcome.kind === 'consistent') {
          for (const read of outcome.pages) {
            yield { name: pageArtifactName(projectId, read.pageNumber, config.format, pass), call, contentType: read.contentType, body: Readable.from([read.body]), scope, meta: meta(read.pageNumber) };
          }
          ctx.expect(scope, outcome.totalCount);
          break;
        }

        // Archived as received, but not cataloged: these pages do not add up to the workspace.
        const reason = outcome.kind === 'drift' ? 'page-drift' : 'unreadable-page';
        for (const page of outcome.pages as ReceivedPage[]) {
          yield { name: pageArtifactName(projectId, page.pageNumber, config.format, pass), call, contentType: page.contentType, body: Readable.from([page.body]), scope, meta: meta(page.pageNumber, reason) };
        }
        if (outcome.kind === 'failed') {
          if (isRunFatal(outcome.error)) throw outcome.error;
          ctx.partFailed(scope, outcome.error);
          break;
        }
        ctx.logger.warn({ scope, pass, maxPasses: config.maxPasses, reason: outcome.reason }, 'DataWorks listing shifted while paging; reading the workspace again from page 1');
        if (pass === config.maxPasses) {
          ctx.partFailed(
            scope,
            new ConnectorError('fetch', 'PAGE_DRIFT', `workspace ${projectId}: the listing kept shifting while it was paged (${config.maxPasses} reads); last: ${outcome.reason}`, { call }),
          );
        }
      }
    }
  }

  /**
   * One page -> its APIs. A page of a read that did not add up (meta.discarded) yields nothing:
   * it was archived for the record only. Works on a saved page alone too (offline parsing): the
   * format is told from the bytes and the workspace from the APIs.
   */
  async *parse(artifact: ArchivedArtifact, _config: DataWorksConfig, ctx: ConnectorContext): AsyncIterable<CatalogEntry> {
    if (artifact.meta?.discarded !== undefined) {
      ctx.logger.debug({ artifact: artifact.name, discarded: artifact.meta.discarded }, 'DataWorks page archived but not cataloged');
      return;
    }
    const { size } = await stat(artifact.localPath);
    if (size > MAX_PAGE_FILE_BYTES) throw new ArtifactFormatError('PAGE_TOO_LARGE', `${artifact.name}: ${size} bytes is no DataWorks page`, artifact.name);
    const page = readDataWorksPage(await readFile(artifact.localPath), artifact.name);
    const entries: CatalogEntry[] = page.apis.map((api: JsonObject, index) => {
      const mapped = mapDataWorksApi(api);
      const { document, redactedPaths } = ctx.redactor.redactDocument(mapped.document as unknown as JsonObject);
      return {
        kind: 'api',
        externalId: mapped.externalId,
        name: mapped.name,
        document,
        redactedPaths,
        origin: { artifactSha256: artifact.sha256, locator: `Data.Apis[${index}]` },
        scope: artifact.scope ?? (mapped.projectId === null ? '' : `project:${mapped.projectId}`),
      };
    });
    yield* entries;
  }
}
