import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contentHash, type CatalogEntry, type JsonObject } from '#catalog-model';
import { openMigratedTestDatabase, testDatabaseTargets } from '../../../../test/support/test-databases.js';
import type { Database } from '../database/database.js';
import { COMPLETE_RUN, itemKey } from './catalog-changes.js';
import { CatalogRunWriter } from './catalog-run-writer.js';
import { SpilledEntries } from './spilled-entries.js';

const ARTIFACT = 'a'.repeat(64);

function entry(externalId: string, document: JsonObject, scope = 'group:1'): CatalogEntry {
  return { kind: 'api', externalId, name: `name ${externalId}`, document, redactedPaths: ['backend.secret'], origin: { artifactSha256: ARTIFACT, locator: `file#${externalId}` }, scope };
}

const apiDoc = (id: string, description: string): JsonObject => ({ name: id, method: 'GET', path: `/v1/${id}`, description, quote: 'say "hi", \\ {x}' });

describe('SpilledEntries', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'spilled-spec-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('keeps keys and hashes in memory and reads each entry back exactly', () => {
    const spill = SpilledEntries.create(tmp);
    try {
      const entries = [entry('a', apiDoc('a', '订单 API')), entry('b', apiDoc('b', 'second')), entry('c', { nested: [1, { deep: null }] }, '')];
      const batch = spill.batch();
      for (const e of entries) batch.add(e);
      expect(spill.size).toBe(0);
      const result = batch.commit();
      expect(result.fresh.map((r) => r.externalId)).toEqual(['a', 'b', 'c']);
      expect(result.duplicates).toEqual([]);
      expect(spill.size).toBe(3);
      for (const e of entries) {
        const ref = spill.index.get(itemKey(e.kind, e.externalId))!;
        expect(ref).toMatchObject({ kind: e.kind, externalId: e.externalId, name: e.name, scope: e.scope, hash: contentHash(e.document) });
        expect(spill.load(ref)).toEqual(e);
      }
    } finally {
      spill.dispose();
    }
  });

  it('counts an artifact whole or not at all, and a repeated key keeps the last entry', () => {
    const spill = SpilledEntries.create(tmp);
    try {
      const first = spill.batch();
      first.add(entry('a', apiDoc('a', 'one')));
      first.commit();
      const failed = spill.batch();
      failed.add(entry('b', apiDoc('b', 'never')));
      failed.discard();
      expect(spill.has(itemKey('api', 'b'))).toBe(false);
      expect(() => failed.add(entry('c', {}))).toThrow(/committed or discarded/);

      const again = spill.batch();
      again.add(entry('a', apiDoc('a', 'two')));
      const result = again.commit();
      expect(result.duplicates.map((r) => r.externalId)).toEqual(['a']);
      expect(spill.size).toBe(1);
      expect(spill.load(spill.index.get(itemKey('api', 'a'))!).document).toMatchObject({ description: 'two' });
    } finally {
      spill.dispose();
    }
  });

  it('removes its file on dispose, once', () => {
    const spill = SpilledEntries.create(tmp);
    const batch = spill.batch();
    batch.add(entry('a', {}));
    const [ref] = batch.commit().fresh;
    expect(readdirSync(tmp)).toHaveLength(1);
    spill.dispose();
    spill.dispose();
    expect(readdirSync(tmp)).toEqual([]);
    expect(() => spill.load(ref)).toThrow(/disposed/);
  });
});

describe.each(testDatabaseTargets)('CatalogRunWriter with spilled entries on $name', (target) => {
  let db: Database;
  let drop: () => Promise<void>;
  let tmp: string;
  beforeAll(async () => {
    ({ db, drop } = await openMigratedTestDatabase(target));
    tmp = mkdtempSync(path.join(os.tmpdir(), 'spilled-writer-'));
    await db.prisma.artifact.create({ data: { sha256: ARTIFACT, size: 1, storageKey: 'k' } });
  });
  afterAll(async () => {
    await drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function newSource(): Promise<string> {
    return (await db.prisma.source.create({ data: { name: `s-${randomUUID()}`, kind: 'test', config: {} } })).id;
  }

  async function applyRun(sourceId: string, entries: CatalogEntry[], spilled: boolean) {
    const run = await db.prisma.run.create({ data: { sourceId, slot: `test:${randomUUID()}`, trigger: 'test' } });
    const writer = new CatalogRunWriter(db.prisma);
    if (!spilled) return writer.apply({ runId: run.id, sourceId, entries: new Map(entries.map((e) => [itemKey(e.kind, e.externalId), e])), incomplete: COMPLETE_RUN, guard: null });
    const spill = SpilledEntries.create(tmp);
    try {
      const batch = spill.batch();
      for (const e of entries) batch.add(e);
      batch.commit();
      return await writer.apply({ runId: run.id, sourceId, entries: spill, incomplete: COMPLETE_RUN, guard: null });
    } finally {
      spill.dispose();
    }
  }

  /** The catalog of a source as a comparable value: items, versions and change events, ids left out. */
  async function catalogOf(sourceId: string) {
    const items = await db.prisma.catalogItem.findMany({
      where: { sourceId },
      orderBy: { externalId: 'asc' },
      include: { versions: { orderBy: { seq: 'asc' } }, changes: { orderBy: { id: 'asc' } } },
    });
    return items.map((i) => ({
      externalId: i.externalId,
      name: i.name,
      scope: i.scope,
      currentHash: i.currentHash,
      removed: i.removedAt !== null,
      versions: i.versions.map((v) => ({ seq: v.seq, hash: v.contentHash, document: v.document, redactedPaths: v.redactedPaths, locator: v.locator, path: v.path, searchText: v.searchText })),
      changes: i.changes.map((c) => ({ type: c.type, diff: c.diff, semantic: c.semantic, breaking: c.breaking, hasVersion: c.versionId !== null })),
    }));
  }

  it('writes the same catalog as in-memory entries: added, modified, unchanged, removed, restored', async () => {
    const first = ['a', 'b', 'c', 'd'].map((id) => entry(id, apiDoc(id, 'first')));
    const second = [entry('a', apiDoc('a', 'first')), entry('b', apiDoc('b', 'edited')), entry('c', apiDoc('c', 'first')), entry('e', apiDoc('e', 'new'))];
    const third = [...second, entry('d', apiDoc('d', 'first'))];
    const results = [];
    const catalogs = [];
    for (const spilled of [false, true]) {
      const sourceId = await newSource();
      const perRun = [];
      for (const entries of [first, second, third]) perRun.push(await applyRun(sourceId, entries, spilled));
      results.push(perRun);
      catalogs.push(await catalogOf(sourceId));
    }
    expect(results[0].map(({ held: _, ...counts }) => counts)).toEqual([
      { added: 4, modified: 0, removed: 0, restored: 0, unchanged: 0, versionsWritten: 4 },
      { added: 1, modified: 1, removed: 1, restored: 0, unchanged: 2, versionsWritten: 2 },
      { added: 0, modified: 0, removed: 0, restored: 1, unchanged: 4, versionsWritten: 0 },
    ]);
    expect(results[1]).toEqual(results[0]);
    expect(catalogs[1]).toEqual(catalogs[0]);
    expect(catalogs[0].find((i) => i.externalId === 'b')!.versions.map((v) => (v.document as JsonObject).description)).toEqual(['first', 'edited']);
  });

  it('stages every spilled entry of a held run', async () => {
    const sourceId = await newSource();
    await applyRun(sourceId, ['a', 'b', 'c'].map((id) => entry(id, apiDoc(id, 'x'))), false);
    const run = await db.prisma.run.create({ data: { sourceId, slot: `test:${randomUUID()}`, trigger: 'test' } });
    const spill = SpilledEntries.create(tmp);
    try {
      const batch = spill.batch();
      batch.add(entry('a', apiDoc('a', 'x')));
      batch.commit();
      const result = await new CatalogRunWriter(db.prisma).apply({ runId: run.id, sourceId, entries: spill, incomplete: COMPLETE_RUN, guard: { maxRemovedShare: 0.5 } });
      expect(result.held).toMatchObject({ wouldRemove: 2, activeItems: 3 });
    } finally {
      spill.dispose();
    }
    const held = await db.prisma.heldEntry.findMany({ where: { runId: run.id } });
    expect(held.map((h) => [h.itemKey, (h.entry as unknown as CatalogEntry).externalId])).toEqual([['api\u001fa', 'a']]);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
