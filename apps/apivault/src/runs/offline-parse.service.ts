import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { CatalogEntry } from '#catalog-model';
import { ConnectorError, type ConnectorContext, type ConnectorRegistry } from '#connectors';
import { CONNECTOR_REGISTRY, LOGGER } from '../core/tokens.js';
import { ValidationError } from '../http/app-errors.js';
import { InstallationSecretsService } from '../secrets/installation-secrets.service.js';
import { describeRunFailure } from './run-failure.js';

export interface OfflineParseResult {
  file: string;
  sha256: string;
  entries: CatalogEntry[];
  error: ReturnType<typeof describeRunFailure> | null;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * `apivault parse`: runs a connector's parser on saved raw exports, exactly as a backup would
 * (same safe readers, same normalization, same redaction salt), without calling any vendor.
 */
@Injectable()
export class OfflineParseService {
  constructor(
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
    private readonly installationSecrets: InstallationSecretsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async parse(kind: string, rawConfig: unknown, files: string[], scope?: string): Promise<OfflineParseResult[]> {
    let connector;
    try {
      connector = this.registry.get(kind);
    } catch (error) {
      throw new ValidationError((error as Error).message, { field: 'kind' });
    }
    let config: unknown;
    try {
      config = connector.validateConfig(rawConfig);
    } catch (error) {
      if (error instanceof ConnectorError) throw new ValidationError(`${error.message} (pass the source's configuration with --config)`, { field: 'config' });
      throw error;
    }
    const ctx: ConnectorContext = {
      logger: this.logger.child({ offline: true, kind }),
      signal: new AbortController().signal,
      credential: null,
      redactor: await this.installationSecrets.secretRedactor(),
      progress: () => undefined,
      expect: () => undefined,
      partFailed: (part, error) => this.logger.warn({ scope: part, failure: describeRunFailure(error) }, 'part failed'),
    };
    const results: OfflineParseResult[] = [];
    for (const file of files) {
      const sha256 = await sha256Of(file);
      const artifact = { name: path.basename(file), call: 'offline', sha256, size: statSync(file).size, localPath: path.resolve(file), scope };
      const entries: CatalogEntry[] = [];
      try {
        for await (const entry of connector.parse(artifact, config, ctx)) entries.push(entry);
        results.push({ file, sha256, entries, error: null });
      } catch (error) {
        results.push({ file, sha256, entries: [], error: describeRunFailure(error) });
      }
    }
    return results;
  }
}
