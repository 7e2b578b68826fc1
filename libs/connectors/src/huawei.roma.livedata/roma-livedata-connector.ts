import { isJsonObject, type CatalogEntry, type EntryKind, type JsonObject } from '#catalog-model';
import { IAM_LOGIN_CALL, type VendorCredential } from '#cloud-auth';
import { parseConnectorConfig } from '../connector-config.js';
import type { ArchivedArtifact, Connector, ConnectorContext, RawArtifact } from '../connector.js';
import { ArtifactFormatError, ConfigError, ConnectorError, VendorCallError } from '../errors.js';
import { huaweiCallAuthorizer } from '../huawei-call-authorizer.js';
import { fileNameFromContentDisposition } from '../http/content-disposition.js';
import { rateLimitWith } from '../http/rate-limit-config.js';
import { VendorHttpClient } from '../http/vendor-http-client.js';
import { vendorRateLimitKey, type RateLimit } from '../http/vendor-rate-limiter.js';
import { liveDataApiDocument, signatureSecretsIn, SWAGGER_METHODS } from './livedata-api-document.js';
import { readLiveDataExport } from './livedata-export-file.js';
import { romaLiveDataConfigSchema, romaLiveDataLimitsSchema, type RomaLiveDataConfig } from './roma-livedata-config.js';
import { countLiveDataApis, countLiveDataApisByApp, listRomaApps, type RomaAppRef } from './roma-listings.js';

export const ROMA_LIVEDATA_KIND = 'huawei.roma.livedata';
export const ROMA_EXPORT_LIVEDATA_CALL = 'POST /v2/{project_id}/apic/instances/{instance_id}/openapi/livedata-apis/export';
/**
 * Our decision (the vendor publishes no quota for these calls): five calls a second, one at a
 * time per endpoint. A run makes two calls per application, one after the other.
 */
export const ROMA_RATE_LIMIT: Readonly<RateLimit> = { perSecond: 5, concurrency: 1 };

/** The part of the source an application's export covers. */
export function romaAppScope(appId: string): string {
  return `app:${appId}`;
}

/**
 * Huawei ROMA Connect: the custom backends ("livedata APIs") of an instance, exported per
 * integration application as Swagger 2.0 (VENDORS.md section 3). Each backend becomes an API
 * entry, its base64 scripts decoded; the signature secrets the export carries are redacted.
 */
export class RomaLiveDataConnector implements Connector<RomaLiveDataConfig> {
  readonly kind = ROMA_LIVEDATA_KIND;
  readonly description = 'Huawei ROMA Connect: custom backend (livedata) APIs of an instance, per integration application';
  readonly entryKinds: readonly EntryKind[] = ['api'];

  validateConfig(raw: unknown): RomaLiveDataConfig {
    return parseConnectorConfig(this.kind, romaLiveDataConfigSchema, raw);
  }

  /**
   * Lists the applications and how many backends the vendor says each holds (`ctx.expect`):
   * one listing of the instance when every application is backed up, one count per configured
   * application otherwise. Then one export per application. One application failing is that part
   * failing; a refused credential fails the run.
   */
  async *fetch(config: RomaLiveDataConfig, ctx: ConnectorContext): AsyncIterable<RawArtifact> {
    const client = new VendorHttpClient({
      authorize: huaweiCallAuthorizer(requireCredential(ctx.credential)),
      timeoutMs: config.timeoutMs,
      logger: ctx.logger,
      rateLimitKey: vendorRateLimitKey('huawei.roma', config.endpoint),
      rateLimit: rateLimitWith(ROMA_RATE_LIMIT, config.rateLimit),
    });
    const instanceUrl = `${config.endpoint}/v2/${encodeURIComponent(config.projectId)}/apic/instances/${encodeURIComponent(config.instanceId)}`;

    ctx.progress({ callsPlanned: 1, callsDone: 0 });
    const listed = await listRomaApps(client, instanceUrl, ctx.signal);
    let callsDone = listed.calls;
    const wanted = config.apps ?? listed.apps.map((app) => app.id);
    const byId = new Map(listed.apps.map((app) => [app.id, app]));
    let counts: Map<string, number> | undefined;
    if (!config.apps) {
      const counted = await countLiveDataApisByApp(client, instanceUrl, ctx.signal);
      counts = counted.counts;
      callsDone += counted.calls;
    }
    ctx.progress({ callsPlanned: callsDone + (counts ? 1 : 2) * wanted.length, callsDone });

    for (const appId of wanted) {
      const scope = romaAppScope(appId);
      const app = byId.get(appId);
      if (!app) {
        // Its backends are kept in the catalog (a failed part is not tombstoned) until the
        // configuration says otherwise.
        ctx.partFailed(scope, new ConnectorError('fetch', 'APP_NOT_FOUND', `integration application ${appId} is configured but the instance does not list it`));
        continue;
      }
      let artifact: RawArtifact;
      try {
        if (counts) {
          ctx.expect(scope, counts.get(app.id) ?? 0);
        } else {
          ctx.expect(scope, await countLiveDataApis(client, instanceUrl, app.id, ctx.signal));
          ctx.progress({ callsDone: ++callsDone });
        }
        artifact = await this.exportApp(client, instanceUrl, app, config, ctx);
        ctx.progress({ callsDone: ++callsDone });
      } catch (error) {
        if (failsTheSource(error)) throw error;
        ctx.partFailed(scope, error);
        continue;
      }
      yield artifact;
    }
  }

  private async exportApp(client: VendorHttpClient, instanceUrl: string, app: RomaAppRef, config: RomaLiveDataConfig, ctx: ConnectorContext): Promise<RawArtifact> {
    // Spooled inside the retried call, so an export cut short half way is fetched again.
    const response = await client.sendAndSpool({
      call: ROMA_EXPORT_LIVEDATA_CALL,
      method: 'POST',
      url: `${instanceUrl}/openapi/livedata-apis/export`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ app_id: app.id, format: config.format }),
      expect: 'bytes',
      signal: ctx.signal,
      // A POST only by the vendor's choice: the export reads the instance and changes nothing.
      idempotent: true,
    });
    return {
      name: fileNameFromContentDisposition(response.headers.get('content-disposition')) ?? `livedata-apis.${config.format}`,
      call: ROMA_EXPORT_LIVEDATA_CALL,
      contentType: response.contentType,
      body: response.body,
      scope: romaAppScope(app.id),
      // Re-parsing an old artifact must not take the application from a later listing.
      meta: { appId: app.id, appName: app.name, format: config.format },
    };
  }

  /** Every operation of the export becomes one API entry, redacted, keyed by method and path. */
  async *parse(artifact: ArchivedArtifact, config: RomaLiveDataConfig, ctx: ConnectorContext): AsyncIterable<CatalogEntry> {
    const limits = romaLiveDataLimitsSchema.parse(config.limits ?? {});
    const document = await readLiveDataExport(artifact, limits);
    const appName = typeof artifact.meta?.appName === 'string' ? artifact.meta.appName : null;
    for (const [path, item] of Object.entries(document.paths as JsonObject)) {
      if (!isJsonObject(item)) continue;
      for (const method of SWAGGER_METHODS) {
        const operation = item[method];
        if (!isJsonObject(operation)) continue;
        ctx.signal.throwIfAborted();
        const api = liveDataApiDocument({
          method: method.toUpperCase(),
          path,
          operation,
          pathParameters: Array.isArray(item.parameters) ? item.parameters : [],
          document,
          appName,
        });
        const { document: redacted, redactedPaths } = ctx.redactor.redactDocument(api);
        const externalId = `${method.toUpperCase()} ${path}`;
        assertNoSecretLeft(redacted, signatureSecretsIn(api), artifact, externalId);
        yield {
          kind: 'api',
          externalId,
          name: api.name,
          document: redacted,
          redactedPaths,
          origin: { artifactSha256: artifact.sha256, locator: `#/paths/${pointerToken(path)}/${method}` },
          scope: artifact.scope ?? '',
        };
      }
    }
  }
}

function requireCredential(credential: VendorCredential | null): VendorCredential {
  if (!credential) {
    throw new ConfigError(`${ROMA_LIVEDATA_KIND}: the source has no credential; ROMA calls need an AK/SK, an IAM token or an IAM password`);
  }
  return credential;
}

/** A refused or failing credential, or a cancelled run, concerns every application, not one. */
function failsTheSource(error: unknown): boolean {
  if (!(error instanceof VendorCallError)) return !(error instanceof ConnectorError);
  return error.code === 'ABORTED' || error.extra.call === IAM_LOGIN_CALL || error.extra.status === 401 || error.extra.status === 403;
}

function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The redactor hashes signature keys and secrets by their field names. Should a vendor ever
 * name them otherwise, this refuses the entry rather than let a secret into the catalog.
 */
function assertNoSecretLeft(document: JsonObject, secrets: string[], artifact: ArchivedArtifact, externalId: string): void {
  if (secrets.length === 0) return;
  const text = JSON.stringify(document);
  if (secrets.some((secret) => text.includes(secret))) {
    throw new ArtifactFormatError(
      'SECRET_NOT_REDACTED',
      `${artifact.name}: ${externalId} holds a signature secret where the redactor does not look for one; the export is refused`,
      artifact.name,
    );
  }
}
