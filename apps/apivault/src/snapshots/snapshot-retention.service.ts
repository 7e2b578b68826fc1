import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../http/app-errors.js';
import { RETENTION_FIELDS, retentionPolicyOf, type RetentionPolicy } from './retention-policy.js';
import { SnapshotRepository } from './snapshot-repository.js';
import type { SnapshotSettings } from './snapshot-settings.js';
import { SNAPSHOT_SETTINGS } from './snapshot-tokens.js';

export interface ScopeView {
  id: string;
  sourceIds: string[] | null;
  /** The scope's own overrides; every other field comes from the APIVAULT_SNAPSHOT_KEEP_* defaults. */
  overrides: Partial<RetentionPolicy>;
  policy: RetentionPolicy;
}

/** Retention policies per scope: overrides stored with the scope, defaults from the environment. */
@Injectable()
export class SnapshotRetentionService {
  constructor(
    private readonly repository: SnapshotRepository,
    @Inject(SNAPSHOT_SETTINGS) private readonly settings: SnapshotSettings,
  ) {}

  async list(): Promise<ScopeView[]> {
    return (await this.repository.listScopes()).map((scope) => this.view(scope));
  }

  /** Sets (number) or clears (null) each given field; fields not given stay as they are. */
  async set(scopeId: string, changes: Partial<Record<keyof RetentionPolicy, number | null | undefined>>): Promise<ScopeView> {
    const scope = await this.repository.findScope(scopeId);
    if (!scope) throw new NotFoundError('snapshot scope', scopeId);
    const overrides: Partial<RetentionPolicy> = { ...((scope.retention ?? {}) as Partial<RetentionPolicy>) };
    for (const field of RETENTION_FIELDS) {
      const value = changes[field];
      if (value === null) delete overrides[field];
      else if (value !== undefined) overrides[field] = value;
    }
    retentionPolicyOf(overrides, this.settings.retention);
    return this.view(await this.repository.setRetention(scopeId, overrides));
  }

  private view(scope: { id: string; sourceIds: string[]; retention: unknown }): ScopeView {
    const overrides = (scope.retention ?? {}) as Partial<RetentionPolicy>;
    return { id: scope.id, sourceIds: scope.sourceIds.length > 0 ? scope.sourceIds : null, overrides, policy: retentionPolicyOf(overrides, this.settings.retention) };
  }
}
