import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ConnectorError, type ConnectorRegistry } from '#connectors';
import { SourceRepository, type Prisma, type SourceRecord } from '#catalog';
import { CONNECTOR_REGISTRY } from '../core/tokens.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/app-errors.js';
import { decodeCursor, toPage, type Page } from '../http/cursor.js';
import { CredentialsService } from '../credentials/credentials.service.js';
import { SourceAdminRepository, type ManagedSourceRecord, type SourceSettingsPatch } from './source-admin.repository.js';
import { SourceChanges } from './source-changes.js';

export interface SourceDefinition {
  name: string;
  kind: string;
  config: unknown;
  /** Name of a credential created beforehand (CredentialsService.upsert). */
  credentialName?: string;
}

/** What the API shows of a source: its settings and which credential, never the secret. */
export interface SourceView {
  id: string;
  name: string;
  kind: string;
  config: unknown;
  credentialId: string | null;
  credentialName: string | null;
  enabled: boolean;
  schedule: string | null;
  scheduleTimezone: string;
  scheduleJitterSeconds: number;
  schedulePaused: boolean;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A change to a source; `credential` is a credential id or name, null to drop it. */
export interface SourcePatch {
  name?: string;
  kind?: string;
  config?: unknown;
  credential?: string | null;
  enabled?: boolean;
  schedule?: string | null;
  scheduleTimezone?: string | null;
  scheduleJitterSeconds?: number;
}

/** A source as apivault.yaml or the API creates it. */
export interface NewSource extends SourcePatch {
  name: string;
  kind: string;
  config: unknown;
}

const nameCursor = z.object({ name: z.string() });

@Injectable()
export class SourcesService {
  constructor(
    private readonly sources: SourceRepository,
    private readonly admin: SourceAdminRepository,
    private readonly credentials: CredentialsService,
    private readonly changes: SourceChanges,
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

  async view(idOrName: string): Promise<SourceView> {
    return toSourceView(await this.managed(idOrName));
  }

  async page(filter: { kind?: string; enabled?: boolean; limit: number; cursor?: string }): Promise<Page<SourceView>> {
    const after = decodeCursor(nameCursor, filter.cursor);
    const rows = await this.admin.page({ kind: filter.kind, enabled: filter.enabled, afterName: after?.name, limit: filter.limit + 1 });
    return toPage(rows, filter.limit, toSourceView, (row) => ({ name: row.name }));
  }

  /** Creates or updates a source by name, after the connector validated its configuration. */
  async upsert(definition: SourceDefinition): Promise<SourceRecord> {
    this.checkConfig(definition.kind, definition.config);
    let credentialId: string | null = null;
    if (definition.credentialName) credentialId = (await this.credentials.findIdByName(definition.credentialName)) ?? null;
    if (definition.credentialName && !credentialId) throw new ValidationError(`credential ${definition.credentialName} does not exist`, { field: 'credential' });
    const config = definition.config as Prisma.InputJsonValue;
    const existing = await this.sources.findByName(definition.name);
    if (existing) return this.sources.update(existing.id, { kind: definition.kind, config, credentialId });
    return this.sources.create({ name: definition.name, kind: definition.kind, config, credentialId });
  }

  /** A new source from the API; 409 when the name is taken. */
  async create(definition: NewSource): Promise<SourceView> {
    this.checkConfig(definition.kind, definition.config);
    const credentialId = await this.credentialIdOf(definition.credential);
    if (await this.sources.findByName(definition.name)) throw new ConflictError('SOURCE_EXISTS', `a source named ${definition.name} already exists`, { name: definition.name });
    const created = await this.sources.create({ name: definition.name, kind: definition.kind, config: definition.config as Prisma.InputJsonValue, credentialId });
    if (definition.enabled === false) await this.sources.update(created.id, { enabled: false });
    const schedule = scheduleSettings(definition);
    if (Object.keys(schedule).length > 0) await this.admin.setSettings(created.id, schedule);
    await this.changes.changed(created.id);
    return this.view(created.id);
  }

  /** Changes a source the API manages; a file-managed one is refused (409). */
  async update(idOrName: string, patch: SourcePatch): Promise<SourceView> {
    const source = await this.managed(idOrName);
    refuseIfManaged(source, 'edit');
    return this.applyPatch(source, patch);
  }

  /**
   * Makes a source equal to its declaration in apivault.yaml, marked as managed by the file;
   * writes only what differs, so applying the same file twice changes nothing.
   */
  async declare(
    definition: NewSource & { credential: string | null; enabled: boolean; schedule: string | null },
    managedBy: string,
  ): Promise<{ source: SourceView; changed: boolean }> {
    this.checkConfig(definition.kind, definition.config);
    const byName = await this.sources.findByName(definition.name);
    const existing = byName ? await this.admin.findById(byName.id) : null;
    if (!existing) {
      const created = await this.create(definition);
      await this.admin.setSettings(created.id, { managedBy });
      return { source: await this.view(created.id), changed: true };
    }
    const credentialId = await this.credentialIdOf(definition.credential);
    const changed =
      existing.kind !== definition.kind ||
      !isDeepStrictEqual(existing.config, definition.config) ||
      existing.credentialId !== credentialId ||
      existing.enabled !== definition.enabled ||
      (existing.settings?.schedule ?? null) !== definition.schedule ||
      (existing.settings?.scheduleTimezone ?? null) !== (definition.scheduleTimezone ?? null) ||
      (existing.settings?.scheduleJitterSeconds ?? 0) !== (definition.scheduleJitterSeconds ?? 0) ||
      existing.settings?.managedBy !== managedBy;
    if (!changed) return { source: toSourceView(existing), changed };
    await this.sources.update(existing.id, { kind: definition.kind, config: definition.config as Prisma.InputJsonValue, credentialId, enabled: definition.enabled });
    await this.admin.setSettings(existing.id, { managedBy, ...scheduleSettings(definition), scheduleTimezone: definition.scheduleTimezone ?? null, scheduleJitterSeconds: definition.scheduleJitterSeconds ?? 0 });
    await this.changes.changed(existing.id);
    return { source: await this.view(existing.id), changed };
  }

  /** Hands a source the file no longer declares back to the API, disabled. */
  async release(idOrName: string): Promise<SourceView> {
    const source = await this.managed(idOrName);
    await this.sources.update(source.id, { enabled: false });
    await this.admin.setSettings(source.id, { managedBy: null });
    await this.changes.changed(source.id);
    return this.view(source.id);
  }

  /**
   * Stops (or restarts) a source's scheduled runs without touching its definition: an operator's
   * action, allowed on file-managed sources too. Manual runs still work while paused.
   */
  async setSchedulePaused(idOrName: string, paused: boolean): Promise<SourceView> {
    const source = await this.managed(idOrName);
    if (!source.settings?.schedule) throw new ConflictError('NO_SCHEDULE', `source ${source.name} has no schedule to ${paused ? 'pause' : 'resume'}`, {});
    await this.admin.setSettings(source.id, { schedulePaused: paused });
    await this.changes.changed(source.id);
    return this.view(source.id);
  }

  /** Sources some manager (e.g. "file") declared. */
  async managedBy(manager: string): Promise<SourceView[]> {
    return (await this.admin.listAll()).filter((s) => s.settings?.managedBy === manager).map(toSourceView);
  }

  /**
   * Deletes a source that never ran. One with runs or catalog items keeps its history (the
   * catalog never forgets): disable it instead (`enabled: false`).
   */
  async remove(idOrName: string): Promise<SourceView> {
    const source = await this.managed(idOrName);
    refuseIfManaged(source, 'delete');
    const history = await this.admin.historyOf(source.id);
    if (history.runs > 0 || history.items > 0) {
      throw new ConflictError('SOURCE_HAS_HISTORY', `source ${source.name} has ${history.runs} run(s) and ${history.items} catalog item(s); disable it instead (enabled: false) to keep its history`, history);
    }
    await this.admin.delete(source.id);
    return toSourceView(source);
  }

  private async applyPatch(source: ManagedSourceRecord, patch: SourcePatch): Promise<SourceView> {
    const kind = patch.kind ?? source.kind;
    if (patch.kind !== undefined || patch.config !== undefined) this.checkConfig(kind, patch.config ?? source.config);
    const credentialId = patch.credential === undefined ? undefined : await this.credentialIdOf(patch.credential);
    if (patch.name !== undefined && patch.name !== source.name) {
      if (await this.sources.findByName(patch.name)) throw new ConflictError('SOURCE_EXISTS', `a source named ${patch.name} already exists`, { name: patch.name });
      await this.admin.rename(source.id, patch.name);
    }
    await this.sources.update(source.id, {
      kind: patch.kind,
      config: patch.config === undefined ? undefined : (patch.config as Prisma.InputJsonValue),
      credentialId,
      enabled: patch.enabled,
    });
    const schedule = scheduleSettings(patch);
    if (Object.keys(schedule).length > 0) await this.admin.setSettings(source.id, schedule);
    await this.changes.changed(source.id);
    return this.view(source.id);
  }

  private checkConfig(kind: string, config: unknown): void {
    let connector;
    try {
      connector = this.registry.get(kind);
    } catch (error) {
      throw new ValidationError((error as Error).message, { field: 'kind' });
    }
    try {
      connector.validateConfig(config);
    } catch (error) {
      if (error instanceof ConnectorError) throw new ValidationError(error.message, { field: 'config' });
      throw error;
    }
  }

  private async credentialIdOf(credential: string | null | undefined): Promise<string | null> {
    if (credential === null || credential === undefined) return null;
    const id = await this.credentials.findId(credential);
    if (!id) throw new ValidationError(`credential ${credential} does not exist`, { field: 'credential' });
    return id;
  }

  private async managed(idOrName: string): Promise<ManagedSourceRecord> {
    const source = await this.admin.findById((await this.get(idOrName)).id);
    if (!source) throw new NotFoundError('source', idOrName);
    return source;
  }
}

/** The schedule fields a create or patch sets (only those given). */
function scheduleSettings(patch: SourcePatch): SourceSettingsPatch {
  const settings: SourceSettingsPatch = {};
  if (patch.schedule !== undefined) settings.schedule = patch.schedule;
  if (patch.scheduleTimezone !== undefined) settings.scheduleTimezone = patch.scheduleTimezone;
  if (patch.scheduleJitterSeconds !== undefined) settings.scheduleJitterSeconds = patch.scheduleJitterSeconds;
  return settings;
}

function refuseIfManaged(source: ManagedSourceRecord, action: string): void {
  if (source.settings?.managedBy) {
    throw new ConflictError('MANAGED_BY_FILE', `source ${source.name} is declared in the configuration file; ${action} it there and apply the file`, {
      managedBy: source.settings.managedBy,
    });
  }
}

export function toSourceView(source: ManagedSourceRecord): SourceView {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    config: source.config,
    credentialId: source.credentialId,
    credentialName: source.credential?.name ?? null,
    enabled: source.enabled,
    schedule: source.settings?.schedule ?? null,
    scheduleTimezone: source.settings?.scheduleTimezone ?? 'UTC',
    scheduleJitterSeconds: source.settings?.scheduleJitterSeconds ?? 0,
    schedulePaused: source.settings?.schedulePaused ?? false,
    managedBy: source.settings?.managedBy ?? null,
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
  };
}
