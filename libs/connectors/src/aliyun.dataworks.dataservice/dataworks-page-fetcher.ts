import {
  percentEncode,
  aliyunRpcUrlSigner,
  type AliyunAccessKey,
} from '#cloud-auth';
import { ArtifactFormatError, VendorCallError } from '../errors.js';
import type { VendorHttpClient } from '../http/vendor-http-client.js';
import type { DataWorksConfig } from './dataworks-config.js';
import { DataWorksEnvelopeError, readDataWorksPage } from './dataworks-page.js';
import type { PageFetcher, ReadPage, UnreadableBody } from './dataworks-project-pass.js';

export const DATAWORKS_API_VERSION = '2020-05-18';
export const LIST_DATA_SERVICE_APIS = 'ListDataServiceApis';
/** How the call is named in errors and logs, per signature style (V3: POST like the SDK; RPC: GET). */
export const LIST_APIS_CALL = {
  v3: 'POST /?Action=ListDataServiceApis',
  rpc: 'GET /?Action=ListDataServiceApis',
} as const;

/** A page that arrived whole-looking but does not read: a truncation may pass on a second try. */
class UnreadablePageError extends VendorCallError implements UnreadableBody {
  constructor(
    message: string,
    call: string,
    readonly unreadableBody: { pageNumber: number; body: Buffer; contentType?: string },
    retryable: boolean,
    vendorCode: string | undefined,
    cause: unknown,
  ) {
    super(message, { call, code: 'UNEXPECTED_CONTENT', retryable, vendorCode, cause });
  }
}

/** Formats that a cut-off body produces; a hostile or refused page will not change on retry. */
const RETRYABLE_PAGE_CODES = new Set(['BAD_PAGE', 'BAD_XML']);

function query(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join('&');
}

export function pageArtifactName(projectId: number, pageNumber: number, format: 'json' | 'xml', pass: number): string {
  return `ListDataServiceApis-${projectId}-pass${pass}-page${pageNumber}.${format}`;
}

/**
 * Fetches one page of a workspace's listing and reads it, inside the HTTP client's retried call:
 * each attempt is signed afresh (V3 headers through the client's authorizer; RPC by signing the
 * URL here, since its signature and nonce travel in the query), and a page that does not read
 * (cut short under a matching Content-Length) is fetched again like a failed call.
 */
export function dataWorksPageFetcher(options: {
  client: VendorHttpClient;
  key: AliyunAccessKey;
  config: DataWorksConfig;
  projectId: number;
  pass: number;
  signal: AbortSignal;
}): PageFetcher {
  const { client, config, projectId, signal } = options;
  const call = LIST_APIS_CALL[config.signature];
  const signRpc = aliyunRpcUrlSigner(options.key);
  return (pageNumber) =>
    client.withRetries({ call, signal }, async (): Promise<ReadPage> => {
      const params: Record<string, string> = { ProjectId: String(projectId), PageNumber: String(pageNumber), PageSize: String(config.pageSize) };
      if (config.tenantId !== undefined) params.TenantId = String(config.tenantId);
      if (config.region !== undefined) params.RegionId = config.region;
      if (config.format === 'xml') params.Format = 'XML';
      const v3 = config.signature === 'v3';
      const url = v3
        ? `${config.endpoint}/?${query(params)}`
        : signRpc({ method: 'GET', url: `${config.endpoint}/?${query({ Action: LIST_DATA_SERVICE_APIS, Version: DATAWORKS_API_VERSION, ...params })}` });
      const response = await client.fetchBuffered({
        call,
        method: v3 ? 'POST' : 'GET',
        url,
        headers: v3 ? { 'x-acs-action': LIST_DATA_SERVICE_APIS, 'x-acs-version': DATAWORKS_API_VERSION } : {},
        expect: config.format === 'json' ? 'json' : 'bytes',
        // A listing reads and changes nothing, whatever the method.
        idempotent: true,
        signal,
      });
      const artifact = pageArtifactName(projectId, pageNumber, config.format, options.pass);
      try {
        return { pageNumber, body: response.body, contentType: response.contentType, page: readDataWorksPage(response.body, artifact) };
      } catch (error) {
        if (!(error instanceof ArtifactFormatError)) throw error;
        const vendorCode = error instanceof DataWorksEnvelopeError ? error.vendorCode : undefined;
        throw new UnreadablePageError(
          `${call}: page ${pageNumber} of workspace ${projectId}: ${error.message}`,
          call,
          { pageNumber, body: response.body, contentType: response.contentType },
          RETRYABLE_PAGE_CODES.has(error.code),
          vendorCode,
          error,
        );
      }
    });
}
