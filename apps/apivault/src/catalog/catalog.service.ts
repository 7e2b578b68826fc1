import { Injectable } from '@nestjs/common';
import { CatalogRepository } from '#catalog';
import { NotFoundError } from '../http/app-errors.js';

export interface CatalogItemPage {
  items: CatalogItemView[];
  nextCursor: string | null;
}

export interface CatalogItemView {
  id: string;
  sourceId: string;
  kind: string;
  externalId: string;
  name: string;
  currentHash: string | null;
  removedAt: Date | null;
  removedByRunId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

@Injectable()
export class CatalogService {
  constructor(private readonly catalog: CatalogRepository) {}

  async listItems(filter: { sourceId?: string; kind?: string; includeRemoved?: boolean; limit: number; after?: string }): Promise<CatalogItemPage> {
    const rows = await this.catalog.listItems({ ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit).map(toItemView);
    return { items: page, nextCursor: rows.length > filter.limit ? page[page.length - 1]!.id : null };
  }

  /** One item with every version (oldest first) and every change event. */
  async getItem(id: string) {
    const item = await this.catalog.findItem(id);
    if (!item) throw new NotFoundError('catalog item', id);
    const [versions, changes] = await Promise.all([this.catalog.versionsOf(id), this.catalog.changesOf(id)]);
    return {
      ...toItemView(item),
      currentVersionId: item.currentVersionId,
      versions: versions.map((v) => ({
        id: v.id,
        seq: v.seq,
        contentHash: v.contentHash,
        runId: v.runId,
        artifactSha256: v.artifactSha256,
        locator: v.locator,
        redactedPaths: v.redactedPaths,
        createdAt: v.createdAt,
        document: v.document,
      })),
      changes: changes.map((c) => ({ id: c.id.toString(), runId: c.runId, versionId: c.versionId, type: c.type, diff: c.diff, breaking: c.breaking, createdAt: c.createdAt })),
    };
  }

  async changesOfRun(runId: string) {
    const changes = await this.catalog.changesOfRun(runId);
    return changes.map((c) => ({
      id: c.id.toString(),
      itemId: c.itemId,
      kind: c.item.kind,
      externalId: c.item.externalId,
      name: c.item.name,
      versionId: c.versionId,
      type: c.type,
      diff: c.diff,
      createdAt: c.createdAt,
    }));
  }
}

function toItemView(item: CatalogItemView): CatalogItemView {
  return {
    id: item.id,
    sourceId: item.sourceId,
    kind: item.kind,
    externalId: item.externalId,
    name: item.name,
    currentHash: item.currentHash,
    removedAt: item.removedAt,
    removedByRunId: item.removedByRunId,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}
