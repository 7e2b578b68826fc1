import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service.js';
import { LOGGER } from '../core/tokens.js';
import { CredentialsService } from '../credentials/credentials.service.js';
import { ValidationError } from '../http/app-errors.js';
import { SourcesService } from '../sources/sources.service.js';
import { inlineCredentialName, type ApivaultConfig } from './config-file-schema.js';

/** The marker on sources and credentials the file declares. */
export const MANAGED_BY_FILE = 'file';

export interface ApplyReport {
  file: string;
  credentials: { name: string; changed: boolean }[];
  sources: { name: string; id: string; changed: boolean }[];
  /** Sources the file declared before and no longer does: disabled and handed to the API. */
  released: string[];
  /** Credentials the file declared before and no longer does: handed to the API. */
  releasedCredentials: string[];
}

/**
 * Makes the database match apivault.yaml: declared credentials and sources are created or
 * updated (only where they differ, so applying twice changes nothing) and marked managed by the
 * file; sources the file no longer declares are disabled and released, never deleted (their
 * history stays). Each change is an audit event by "config-file".
 */
@Injectable()
export class ConfigApplierService {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly sources: SourcesService,
    private readonly audit: AuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async apply(config: ApivaultConfig, file: string): Promise<ApplyReport> {
    const report: ApplyReport = { file, credentials: [], sources: [], released: [], releasedCredentials: [] };
    const declaredCredentials = new Set(Object.keys(config.credentials));
    for (const [name, secret] of Object.entries(config.credentials)) {
      const { credential, changed } = await this.credentials.declare(name, secret, MANAGED_BY_FILE);
      report.credentials.push({ name, changed });
      if (changed) await this.record('credential', credential.id, name);
    }
    for (const source of config.sources) {
      let credential: string | null = null;
      if (typeof source.credential === 'object') {
        credential = inlineCredentialName(source.name);
        const declared = await this.credentials.declare(credential, source.credential, MANAGED_BY_FILE);
        report.credentials.push({ name: credential, changed: declared.changed });
        if (declared.changed) await this.record('credential', declared.credential.id, credential);
      } else if (typeof source.credential === 'string') {
        credential = source.credential;
        if (!declaredCredentials.has(credential) && !(await this.credentials.findIdByName(credential))) {
          throw new ValidationError(`${file}: sources ${source.name}: credential ${credential} is neither declared under credentials: nor stored`, { field: 'credential' });
        }
      }
      const { source: applied, changed } = await this.sources.declare(
        { name: source.name, kind: source.kind, config: source.config, credential, enabled: source.enabled, schedule: source.schedule ?? null, scheduleTimezone: source.timezone ?? null, scheduleJitterSeconds: source.jitterSeconds ?? 0 },
        MANAGED_BY_FILE,
      );
      report.sources.push({ name: applied.name, id: applied.id, changed });
      if (changed) await this.record('source', applied.id, applied.name);
    }
    const declaredSources = new Set(config.sources.map((s) => s.name));
    for (const stale of await this.sources.managedBy(MANAGED_BY_FILE)) {
      if (declaredSources.has(stale.name)) continue;
      await this.sources.release(stale.id);
      report.released.push(stale.name);
      await this.record('source', stale.id, stale.name, { released: true });
    }
    const stillDeclared = new Set(report.credentials.map((c) => c.name));
    for (const stale of await this.credentials.managedBy(MANAGED_BY_FILE)) {
      if (stillDeclared.has(stale.name)) continue;
      await this.credentials.release(stale.id);
      report.releasedCredentials.push(stale.name);
      await this.record('credential', stale.id, stale.name, { released: true });
    }
    this.logger.info(
      {
        file,
        credentialsChanged: report.credentials.filter((c) => c.changed).length,
        sourcesChanged: report.sources.filter((s) => s.changed).length,
        released: report.released,
      },
      'configuration file applied',
    );
    return report;
  }

  private record(what: 'source' | 'credential', id: string, name: string, details: Record<string, boolean | string> = {}): Promise<void> {
    return this.audit.record({
      tokenId: null,
      actor: 'config-file',
      role: null,
      method: 'APPLY',
      route: `apivault.yaml ${what}`,
      path: name,
      resourceId: id,
      ip: null,
      status: 200,
      details,
    });
  }
}
