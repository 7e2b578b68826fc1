import { Injectable } from '@nestjs/common';
import { diffDocuments, isApiDocument, renderSemanticChanges, semanticApiDiff, type JsonObject, type SemanticChange } from '#catalog-model';
import { CatalogHistoryRepository, RunRepository, type ItemStateRow } from '#catalog';
import { NotFoundError, ValidationError } from '../http/app-errors.js';

export interface ItemDiff {
  itemId: string;
  kind: string;
  externalId: string;
  name: string;
  change: 'added' | 'removed' | 'modified' | 'unchanged';
  breaking: boolean;
  semantic: SemanticChange[];
  fields: ReturnType<typeof diffDocuments>;
  text: string;
}

function docOf(row: ItemStateRow | undefined): JsonObject | null {
  return row ? (row.document as JsonObject) : null;
}

function diffItem(before: ItemStateRow | undefined, after: ItemStateRow | undefined): ItemDiff {
  const any = (after ?? before)!;
  if (before && after && before.contentHash === after.contentHash) {
    return { itemId: any.itemId, kind: any.kind, externalId: any.externalId, name: any.name, change: 'unchanged', breaking: false, semantic: [], fields: [], text: 'no change' };
  }
  const b = docOf(before);
  const a = docOf(after);
  const semantic = semanticApiDiff(b && isApiDocument(b) ? b : null, a && isApiDocument(a) ? a : null);
  const fields = b && a ? diffDocuments(b, a) : [];
  const change = !before ? 'added' : !after ? 'removed' : 'modified';
  const text = semantic.length > 0 ? renderSemanticChanges(semantic) : fields.map((f) => `${f.op} ${f.path}`).join('\n') || change;
  return { itemId: any.itemId, kind: any.kind, externalId: any.externalId, name: any.name, change, breaking: semantic.some((c) => c.breaking) || (change === 'removed' && semantic.length === 0), semantic, fields, text };
}

/** "What did it look like then" and "what changed between": the reads people keep backups for. */
@Injectable()
export class CatalogHistoryService {
  constructor(
    private readonly history: CatalogHistoryRepository,
    private readonly runs: RunRepository,
  ) {}

  async changes(filter: { since?: Date; until?: Date; sourceId?: string; breaking?: boolean; kind?: string; after?: string; limit: number }) {
    const rows = await this.history.changes({ ...filter, after: filter.after !== undefined ? BigInt(filter.after) : undefined, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit).map((c) => ({
      id: c.id.toString(),
      runId: c.runId,
      itemId: c.itemId,
      sourceId: c.item.sourceId,
      kind: c.item.kind,
      externalId: c.item.externalId,
      name: c.item.name,
      versionId: c.versionId,
      type: c.type,
      breaking: c.breaking,
      semantic: c.semantic,
      diff: c.diff,
      createdAt: c.createdAt,
    }));
    return { items: page, nextCursor: rows.length > filter.limit ? page[page.length - 1]!.id : null };
  }

  /** The catalog (or one source) as it stood at an instant. */
  async stateAt(at: Date, sourceId?: string) {
    const rows = await this.history.stateAt(at, { sourceId });
    return { asOf: at, items: rows.map((r) => ({ itemId: r.itemId, sourceId: r.sourceId, kind: r.kind, externalId: r.externalId, name: r.name, versionId: r.versionId, seq: r.seq, contentHash: r.contentHash })) };
  }

  /** One item as it stood at an instant, with the document; 404 when it did not exist then. */
  async itemAt(itemId: string, at: Date) {
    const [row] = await this.history.stateAt(at, { itemId });
    if (!row) throw new NotFoundError(`catalog item as of ${at.toISOString()}`, itemId);
    return row;
  }

  async diffVersions(itemId: string, fromSeq: number, toSeq: number): Promise<ItemDiff> {
    const [from, to] = await Promise.all([this.history.version(itemId, fromSeq), this.history.version(itemId, toSeq)]);
    if (!from) throw new NotFoundError(`version ${fromSeq} of item`, itemId);
    if (!to) throw new NotFoundError(`version ${toSeq} of item`, itemId);
    const row = (v: NonNullable<typeof from>): ItemStateRow => ({
      itemId,
      sourceId: '',
      kind: '',
      externalId: '',
      name: String((v.document as JsonObject).name ?? ''),
      versionId: v.id,
      seq: v.seq,
      contentHash: v.contentHash,
      document: v.document,
    });
    return diffItem(row(from), row(to));
  }

  /** Resolves a diff endpoint: a run id (the catalog right after that run) or an ISO instant. */
  private async instantOf(ref: string, field: string): Promise<Date> {
    if (/^[0-9a-f-]{36}$/i.test(ref)) {
      const run = await this.runs.findById(ref);
      if (!run) throw new NotFoundError('run', ref);
      if (!run.finishedAt) throw new ValidationError(`${field}: run ${ref} has not finished`, { field });
      return run.finishedAt;
    }
    const at = new Date(ref);
    if (Number.isNaN(at.getTime())) throw new ValidationError(`${field} must be a run id or an ISO-8601 instant`, { field });
    return at;
  }

  /** What changed in the catalog (or one source) between two runs or instants. */
  async diffStates(fromRef: string, toRef: string, sourceId?: string) {
    const [from, to] = [await this.instantOf(fromRef, 'from'), await this.instantOf(toRef, 'to')];
    const [before, after] = await Promise.all([this.history.stateAt(from, { sourceId }), this.history.stateAt(to, { sourceId })]);
    const beforeById = new Map(before.map((r) => [r.itemId, r]));
    const afterById = new Map(after.map((r) => [r.itemId, r]));
    const items: ItemDiff[] = [];
    for (const id of new Set([...beforeById.keys(), ...afterById.keys()])) {
      const d = diffItem(beforeById.get(id), afterById.get(id));
      if (d.change !== 'unchanged') items.push(d);
    }
    items.sort((a, b) => (a.kind + a.externalId < b.kind + b.externalId ? -1 : 1));
    const count = (c: ItemDiff['change']) => items.filter((i) => i.change === c).length;
    return {
      from,
      to,
      summary: { added: count('added'), removed: count('removed'), modified: count('modified'), breaking: items.filter((i) => i.breaking).length },
      items,
    };
  }
}
