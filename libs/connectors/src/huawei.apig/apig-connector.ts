import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { CatalogEntry, EntryKind, JsonObject } from '#catalog-model';
import type { VendorCredential } from '#cloud-auth';
import { parseConnectorConfig } from '../connector-config.js';
import type { ArchivedArtifact, Connector, ConnectorContext, RawArtifact } from '../connector.js';
import { errorMessage } from '../error-message.js';
import { ArtifactFormatError, ConfigError, ConnectorError, VendorCallError } from '../errors.js';
import { huaweiCallAuthorizer } from '../huawei-call-authorizer.js';
import { fileNameFromContentDisposition } from '../http/content-disposition.js';
import { formatBytes } from '../http/response-size-limit.js';
import { rateLimitWith } from '../http/rate-limit-config.js';
import { VendorHttpClient } from '../http/vendor-http-client.js';
import { vendorRateLimitKey, type RateLimit } from '../http/vendor-rate-limiter.js';
import { redactConstantBackendSecrets } from './apig-backend-secrets.js';
import { apigConfigSchema, type ApigConfig } from './apig-config.js';
import { readApigExportFile } from './apig-export-file.js';
import { ApigGroupMerge, mergeApi, type MergedApi, type SourcedOccurrence } from './apig-group-merge.js';
import { occurrencesOf } from './apig-operation-document.js';
import { APIG_CALLS, ApigVendorApi, type ApigDefine, type ApigNamedRef } from './apig-vendor-api.js';

export const APIG_KIND = 'huawei.apig';

/**
 * Our decision (the vendor documents no quota for these calls): at most five calls a second and
 * two at once per endpoint. A group costs 2 + (environments) calls.
 */
export const APIG_RATE_LIMIT: Readonly<RateLimit> = { perSecond: 5, concurrency: 2 };

/** The environment every APIG instance has; the `dev` export is asked in it. */
const RELEASE_ENV_ID = 'DEFAULT_ENVIRONMENT_RELEASE_ID';

/** What fetch records on each export, for parse (and for a re-parse of the archived file). */
interface ExportMeta {
  groupId?: string;
  groupName?: string;
  envId?: string;
  envName?: string;
  define?: string;
  /** Index of this export among its group's, and how many the group has: the merge waits for all. */
  part?: number;
  parts?: number;
}

export function apigScope(groupId: string): string {
  return `group:${groupId}`;
}

function metaOf(artifact: ArchivedArtifact): ExportMeta {
  const meta = artifact.meta ?? {};
  const text = (key: string) => (typeof meta[key] === 'string' ? (meta[key] as string) : undefined);
  const count = (key: string) => (typeof meta[key] === 'number' ? (meta[key] as number) : undefined);
  return { groupId: text('groupId'), groupName: text('groupName'), envId: text('envId'), envName: text('envName'), define: text('define'), part: count('part'), parts: count('parts') };
}

/** The same error, its message saying which export of the group failed. */
function inExport(error: unknown, group: ApigNamedRef, what: string): ConnectorError {
  const context = `group ${group.name} (${group.id}), ${what}`;
  if (error instanceof VendorCallError) {
    return new VendorCallError(`${context}: ${error.message}`, {
      call: error.extra.call ?? APIG_CALLS.export,
      status: error.extra.status,
      vendorCode: error.extra.vendorCode,
      code: error.code as never,
      retryable: error.retryable,
      retryAfterMs: error.retryAfterMs,
      attempts: error.attempts,
      cause: error,
    });
  }
  if (error instanceof ConnectorError) return new ConnectorError(error.stage, error.code, `${context}: ${error.message}`, error.extra, { cause: error });
  return new ConnectorError('fetch', 'EXPORT_FAILED', `${context}: ${errorMessage(error)}`, { call: APIG_CALLS.export }, { cause: error });
}

/**
 * Huawei API Gateway (VENDORS.md section 2): every API group of a dedicated instance, exported
 * once per environment with `define=all` (what is published there, with its throttling, ACL
 * and custom authorizers) and once with `define=dev` (the APIs published nowhere).
 *
 * One part of the source is one group (scope `group:<id>`): its exports are merged into one
 * document per API, whatever the environments it is published in, and they succeed or fail
 * together. See docs/catalog-model/huawei.apig.md for the mapping and the reasons.
 */
export class ApigConnector implements Connector<ApigConfig> {
  readonly kind = APIG_KIND;
  readonly description = 'Huawei API Gateway (APIG): the APIs of every group of a dedicated instance, in every environment';
  readonly entryKinds: readonly EntryKind[] = ['api'];

  /** Each run's groups being merged, keyed by the run's context: gone with the run. */
  private readonly merges = new WeakMap<ConnectorContext, Map<string, ApigGroupMerge>>();

  validateConfig(raw: unknown): ApigConfig {
    return parseConnectorConfig(this.kind, apigConfigSchema, raw);
  }

  async *fetch(config: ApigConfig, ctx: ConnectorContext): AsyncIterable<RawArtifact> {
    const client = new VendorHttpClient({
      authorize: huaweiCallAuthorizer(requireCredential(ctx.credential)),
      timeoutMs: config.timeoutMs,
      logger: ctx.logger,
      rateLimitKey: vendorRateLimitKey('huawei.apig', config.endpoint),
      rateLimit: rateLimitWith(APIG_RATE_LIMIT, config.rateLimit),
    });
    const api = new ApigVendorApi(client, config, ctx.signal);

    ctx.progress({ callsPlanned: 2, callsDone: 0 });
    const listed = await api.listGroups();
    const envs = await api.listEnvs();
    if (envs.length === 0) throw new ConnectorError('fetch', 'NO_ENVIRONMENT', `instance ${config.instanceId} lists no environment: nothing can be exported`, { call: APIG_CALLS.listEnvs });
    const devEnv = envs.find((e) => e.id === RELEASE_ENV_ID) ?? envs[0];

    const groups = this.selectGroups(listed, config, ctx);
    const exportsPerGroup = envs.length + 1;
    let callsDone = 2;
    ctx.progress({ callsPlanned: 2 + groups.length * (1 + exportsPerGroup), callsDone });

    for (const group of groups) {
      const scope = apigScope(group.id);
      try {
        ctx.expect(scope, await api.countApis(group.id));
      } catch (error) {
        ctx.partFailed(scope, inExport(error, group, 'API count'));
        continue;
      } finally {
        ctx.progress({ callsDone: ++callsDone });
      }

      const plan: { define: ApigDefine; env: ApigNamedRef }[] = [...envs.map((env) => ({ define: 'all' as const, env })), { define: 'dev', env: devEnv }];
      for (const [part, { define, env }] of plan.entries()) {
        let answer;
        try {
          answer = await api.exportGroup({ groupId: group.id, envId: env.id, define });
        } catch (error) {
          // The rest of the group is not worth fetching: the group is kept as it was.
          ctx.partFailed(scope, inExport(error, group, define === 'dev' ? 'dev export' : `export of environment ${env.name} (${env.id})`));
          callsDone += plan.length - part;
          ctx.progress({ callsDone });
          break;
        }
        ctx.progress({ callsDone: ++callsDone });
        yield {
          name: fileNameFromContentDisposition(answer.contentDisposition) ?? `${group.name}_${define === 'dev' ? 'dev' : env.name}.${config.format}`,
          call: APIG_CALLS.export,
          contentType: answer.contentType,
          body: Readable.from([answer.body]),
          scope,
          meta: {
            groupId: group.id,
            groupName: group.name,
            envId: env.id,
            envName: env.name,
            define,
            part,
            parts: plan.length,
          },
        };
      }
    }
  }

  async *parse(artifact: ArchivedArtifact, config: ApigConfig, ctx: ConnectorContext): AsyncIterable<CatalogEntry> {
    if (artifact.size > config.maxExportBytes) {
      throw new ArtifactFormatError('EXPORT_TOO_LARGE', `${artifact.name}: the export is ${formatBytes(artifact.size)}, above the limit of ${formatBytes(config.maxExportBytes)}`, artifact.name);
    }
    const file = await readApigExportFile(await readFile(artifact.localPath), artifact.name, config.maxExportBytes);
    const meta = metaOf(artifact);
    const title = typeof (file.document.info as JsonObject | undefined)?.title === 'string' ? ((file.document.info as JsonObject).title as string) : 'unknown';
    const groupId = meta.groupId ?? `name:${title}`;
    const occurrences = occurrencesOf(file, { id: groupId, name: meta.groupName }, artifact.name);
    const env = meta.define !== 'dev' && meta.envId !== undefined ? { id: meta.envId, name: meta.envName ?? meta.envId } : null;
    const sourced: SourcedOccurrence[] = occurrences.map((o) => ({ ...o, source: { env, artifactSha256: artifact.sha256 } }));

    let apis: MergedApi[];
    if (meta.parts === undefined || meta.part === undefined) {
      // A file read on its own (not from a run's fetch): each API as this one export shows it.
      apis = sourced.map((o) => {
        const api = mergeApi([o]);
        return meta.define === undefined ? { ...api, document: { ...api.document, status: 'unknown' as const } } : api;
      });
    } else {
      const merge = this.mergeOf(ctx, groupId, meta.parts);
      merge.add(meta.part, sourced);
      if (!merge.complete) return;
      this.merges.get(ctx)?.delete(groupId);
      apis = merge.merged();
    }

    let count = 0;
    for (const api of apis) {
      ctx.signal.throwIfAborted();
      const constants = redactConstantBackendSecrets(api.document as unknown as JsonObject, ctx.redactor);
      const { document, redactedPaths } = ctx.redactor.redactDocument(constants.document);
      yield {
        kind: 'api',
        externalId: api.externalId,
        name: api.name,
        document,
        redactedPaths: [...constants.redactedPaths, ...redactedPaths].sort(),
        origin: api.origin,
        scope: apigScope(groupId),
      };
      if (++count % 100 === 0) ctx.progress({ itemsParsed: count });
    }
  }

  private selectGroups(listed: ApigNamedRef[], config: ApigConfig, ctx: ConnectorContext): ApigNamedRef[] {
    if (!config.groups) return listed;
    const byId = new Map(listed.map((g) => [g.id, g]));
    const selected: ApigNamedRef[] = [];
    for (const id of new Set(config.groups)) {
      const group = byId.get(id);
      if (group) selected.push(group);
      else {
        // Not tombstoned, and the run says so: a deleted group is the operator's call to drop.
        ctx.partFailed(apigScope(id), new ConnectorError('fetch', 'GROUP_NOT_FOUND', `configured API group ${id} is not in instance ${config.instanceId}`, { call: APIG_CALLS.listGroups }));
      }
    }
    return selected;
  }

  private mergeOf(ctx: ConnectorContext, groupId: string, parts: number): ApigGroupMerge {
    let byGroup = this.merges.get(ctx);
    if (!byGroup) {
      byGroup = new Map();
      this.merges.set(ctx, byGroup);
    }
    let merge = byGroup.get(groupId);
    if (!merge) {
      merge = new ApigGroupMerge(parts);
      byGroup.set(groupId, merge);
    }
    return merge;
  }
}

function requireCredential(credential: VendorCredential | null): VendorCredential {
  if (!credential) throw new ConfigError(`${APIG_KIND}: the source has no credential; APIG calls need an AK/SK or an IAM token`);
  return credential;
}
