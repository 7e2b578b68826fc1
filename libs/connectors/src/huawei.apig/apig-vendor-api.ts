import { isJsonObject } from '#catalog-model';
import { errorMessage } from '../error-message.js';
import { VendorCallError } from '../errors.js';
import type { VendorHttpClient } from '../http/vendor-http-client.js';
import type { ApigConfig } from './apig-config.js';
import { parseExportText } from './apig-export-file.js';

export const APIG_CALLS = {
  listGroups: 'GET /v2/{project_id}/apigw/instances/{instance_id}/api-groups',
  listEnvs: 'GET /v2/{project_id}/apigw/instances/{instance_id}/envs',
  listApis: 'GET /v2/{project_id}/apigw/instances/{instance_id}/apis',
  export: 'POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/export',
} as const;

/** The largest page the vendor serves (a larger limit is cut to it). */
const PAGE_LIMIT = 500;
/** A listing that needs more pages than this is looping, not long. */
const MAX_PAGES = 10_000;

export interface ApigNamedRef {
  id: string;
  name: string;
}

export type ApigDefine = 'spec' | 'proxy' | 'all' | 'dev';

export interface ApigExportAnswer {
  body: Buffer;
  contentType?: string;
  contentDisposition: string | null;
}

/**
 * The APIG management calls a backup makes: the paged listings of groups, environments and APIs,
 * and the export of one group. Listings and exports are read whole inside the retried call, so a
 * page or an export cut short is fetched again rather than parsed half.
 */
export class ApigVendorApi {
  private readonly base: string;

  constructor(
    private readonly client: VendorHttpClient,
    private readonly config: ApigConfig,
    private readonly signal: AbortSignal,
  ) {
    this.base = `${config.endpoint}/v2/${encodeURIComponent(config.projectId)}/apigw/instances/${encodeURIComponent(config.instanceId)}`;
  }

  listGroups(): Promise<ApigNamedRef[]> {
    return this.listAll(APIG_CALLS.listGroups, '/api-groups', 'groups', {});
  }

  listEnvs(): Promise<ApigNamedRef[]> {
    return this.listAll(APIG_CALLS.listEnvs, '/envs', 'envs', {});
  }

  /** How many APIs the group holds, published or not: the `total` of ListApisV2. */
  async countApis(groupId: string): Promise<number> {
    const page = await this.page(APIG_CALLS.listApis, '/apis', { group_id: groupId, offset: '0', limit: '1' }, 'apis');
    return page.total;
  }

  async exportGroup(request: { groupId: string; envId: string; define: ApigDefine }): Promise<ApigExportAnswer> {
    const call = APIG_CALLS.export;
    const { format, oasVersion } = this.config;
    return this.client.withRetries({ call, signal: this.signal }, async () => {
      const response = await this.client.fetchBuffered({
        call,
        method: 'POST',
        url: `${this.base}/openapi/export?oas_version=${oasVersion}`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ env_id: request.envId, group_id: request.groupId, define: request.define, type: format }),
        expect: format === 'json' ? 'json' : 'bytes',
        signal: this.signal,
        // A POST only by the vendor's choice: the export reads the group and changes nothing.
        idempotent: true,
        maxResponseBytes: this.config.maxExportBytes,
      });
      // A body cut short under a matching Content-Length still reads; it must parse to count.
      try {
        parseExportText(response.body, 'export');
      } catch (error) {
        throw new VendorCallError(`${call}: vendor answered ${response.status} with an export that does not parse (${errorMessage(error).replace(/^export: /, '')})`, {
          call,
          code: 'UNEXPECTED_CONTENT',
          status: response.status,
          retryable: true,
        });
      }
      return { body: response.body, contentType: response.contentType, contentDisposition: response.headers.get('content-disposition') };
    });
  }

  private async listAll(call: string, path: string, key: string, query: Record<string, string>): Promise<ApigNamedRef[]> {
    const byId = new Map<string, ApigNamedRef>();
    let offset = 0;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await this.page(call, path, { ...query, offset: String(offset), limit: String(PAGE_LIMIT) }, key);
      for (const item of page.items) byId.set(item.id, item);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) return [...byId.values()];
    }
    throw new VendorCallError(`${call}: more than ${MAX_PAGES} pages; the listing does not end`, { call, code: 'UNEXPECTED_CONTENT' });
  }

  private async page(call: string, path: string, query: Record<string, string>, key: string): Promise<{ total: number; items: ApigNamedRef[] }> {
    return this.client.withRetries({ call, signal: this.signal }, async () => {
      const response = await this.client.fetchBuffered({
        call,
        method: 'GET',
        url: `${this.base}${path}?${new URLSearchParams(query).toString()}`,
        expect: 'json',
        signal: this.signal,
      });
      const bad = (why: string, retryable = false) => new VendorCallError(`${call}: vendor answered ${response.status} with ${why}`, { call, code: 'UNEXPECTED_CONTENT', status: response.status, retryable });
      let body: unknown;
      try {
        body = JSON.parse(response.body.toString('utf8'));
      } catch {
        throw bad('JSON that does not parse (cut short?)', true);
      }
      if (!isJsonObject(body) || typeof body.total !== 'number' || !Array.isArray(body[key])) throw bad(`a body without {total, ${key}: [...]}`);
      const items = body[key].map((item) => {
        if (!isJsonObject(item) || typeof item.id !== 'string' || item.id === '') throw bad(`an entry of ${key} without an id`);
        return { id: item.id, name: typeof item.name === 'string' ? item.name : item.id };
      });
      return { total: body.total, items };
    });
  }
}
