import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ConnectorContext, ConnectorRegistry } from '#connectors';
import { CONNECTOR_REGISTRY, LOGGER } from '../core/tokens.js';
import { CredentialsService } from '../credentials/credentials.service.js';
import { describeRunFailure } from '../runs/run-failure.js';
import { InstallationSecretsService } from '../secrets/installation-secrets.service.js';
import { SourcesService } from './sources.service.js';

/** What `POST /sources/:id/test` found. */
export interface SourceProbeResult {
  ok: boolean;
  sourceId: string;
  /** The vendor call that answered, when one did. */
  call: string | null;
  durationMs: number;
  /** Why it failed: the same shape as a failed run's error (stage, code, call, status...). */
  error: ReturnType<typeof describeRunFailure> | null;
}

const PROBE_TIMEOUT_MS = 60_000;

/**
 * Checks a source's configuration, credential and reachability without a backup: decrypts the
 * credential and runs the connector's own fetch up to its first answered call, then stops. The
 * vendor accepted the credential and the endpoint answered, or the error says which call failed
 * and how. Nothing is archived, parsed or written, and no connector needs a special method: the
 * probe follows the very code path a backup takes, so it cannot pass where a backup would fail
 * at the first call.
 */
@Injectable()
export class SourceProbeService {
  constructor(
    private readonly sources: SourcesService,
    private readonly credentials: CredentialsService,
    private readonly installationSecrets: InstallationSecretsService,
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async probe(idOrName: string): Promise<SourceProbeResult> {
    const source = await this.sources.get(idOrName);
    const started = Date.now();
    const logger = this.logger.child({ sourceId: source.id, source: source.name, kind: source.kind, probe: true });
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`the source did not answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
    let partFailure: unknown = null;
    let call: string | null = null;
    try {
      const connector = this.registry.get(source.kind);
      const config = connector.validateConfig(source.config);
      const ctx: ConnectorContext = {
        logger,
        signal: abort.signal,
        credential: source.credentialId ? await this.credentials.resolve(source.credentialId) : null,
        redactor: await this.installationSecrets.secretRedactor(),
        progress: () => undefined,
        expect: () => undefined,
        // A failed part is the answer: stop there rather than go on to the next part.
        partFailed: (_scope, error) => {
          partFailure ??= error;
          abort.abort(error);
        },
      };
      for await (const raw of connector.fetch(config, ctx)) {
        call = raw.call;
        raw.body.destroy();
        break;
      }
      if (partFailure) throw partFailure;
      logger.info({ call }, 'source test passed');
      return { ok: true, sourceId: source.id, call, durationMs: Date.now() - started, error: null };
    } catch (error) {
      const failure = describeRunFailure(partFailure ?? error);
      logger.warn({ failure }, 'source test failed');
      return { ok: false, sourceId: source.id, call: (failure as { call?: string }).call ?? call, durationMs: Date.now() - started, error: failure };
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }
}
