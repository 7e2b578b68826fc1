import { Inject, Injectable } from '@nestjs/common';
import { ConnectorError, type ConnectorRegistry } from '#connectors';
import { SourceRepository, type Prisma, type SourceRecord } from '#catalog';
import { CONNECTOR_REGISTRY } from '../core/tokens.js';
import { NotFoundError, ValidationError } from '../http/app-errors.js';
import { CredentialsService } from '../credentials/credentials.service.js';

export interface SourceDefinition {
  name: string;
  kind: string;
  config: unknown;
  /** Name of a credential created beforehand (CredentialsService.upsert). */
  credentialName?: string;
}

@Injectable()
export class SourcesService {
  constructor(
    private readonly sources: SourceRepository,
    private readonly credentials: CredentialsService,
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
  ) {}

  list(): Promise<SourceRecord[]> {
    return this.sources.list();
  }

  async get(idOrName: string): Promise<SourceRecord> {
    const byId = /^[0-9a-f-]{36}$/i.test(idOrName) ? await this.sources.findById(idOrName) : null;
    const source = byId ?? (await this.sources.findByName(idOrName));
    if (!source) throw new NotFoundError('source', idOrName);
    return source;
  }

  /** Creates or updates a source by name, after the connector validated its configuration. */
  async upsert(definition: SourceDefinition): Promise<SourceRecord> {
    let connector;
    try {
      connector = this.registry.get(definition.kind);
    } catch (error) {
      throw new ValidationError((error as Error).message, { field: 'kind' });
    }
    try {
      connector.validateConfig(definition.config);
    } catch (error) {
      if (error instanceof ConnectorError) throw new ValidationError(error.message, { field: 'config' });
      throw error;
    }
    let credentialId: string | null = null;
    if (definition.credentialName) credentialId = (await this.credentials.findIdByName(definition.credentialName)) ?? null;
    if (definition.credentialName && !credentialId) throw new ValidationError(`credential ${definition.credentialName} does not exist`, { field: 'credential' });
    const config = definition.config as Prisma.InputJsonValue;
    const existing = await this.sources.findByName(definition.name);
    if (existing) return this.sources.update(existing.id, { kind: definition.kind, config, credentialId });
    return this.sources.create({ name: definition.name, kind: definition.kind, config, credentialId });
  }
}
