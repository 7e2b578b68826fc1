import type { CatalogEntry } from '#catalog-model';
import { contentHash } from '#catalog-model';
import { COMPLETE_RUN, itemKey, planChanges, type CurrentItemState } from './catalog-changes.js';

function entry(externalId: string, doc: Record<string, string>, scope = ''): CatalogEntry {
  return { kind: 'api', externalId, name: externalId, document: doc, redactedPaths: [], origin: { artifactSha256: 'a'.repeat(64) }, scope };
}

function item(externalId: string, doc: Record<string, string> | null, scope = '', removed = false): CurrentItemState {
  return { id: `id-${externalId}`, kind: 'api', externalId, scope, currentHash: doc ? contentHash(doc) : null, currentSeq: 1, removed };
}

function seen(...entries: CatalogEntry[]): Map<string, CatalogEntry> {
  return new Map(entries.map((e) => [itemKey(e.kind, e.externalId), e]));
}

describe('planChanges', () => {
  it('classifies added, modified, unchanged, restored and removed by content hash', () => {
    const plan = planChanges(
      [item('same', { v: '1' }), item('edited', { v: '1' }), item('gone', { v: '1' }), item('back', { v: '1' }, '', true)],
      seen(entry('same', { v: '1' }), entry('edited', { v: '2' }), entry('new', { v: '1' }), entry('back', { v: '1' })),
      COMPLETE_RUN,
    );
    expect(plan.unchanged).toBe(1);
    expect(plan.changes.map((c) => [c.type, c.key.split('\u0000')[1]]).sort()).toEqual(
      [['added', 'new'], ['modified', 'edited'], ['removed', 'gone'], ['restored', 'back']].sort(),
    );
    const restored = plan.changes.find((c) => c.type === 'restored');
    expect(restored).toMatchObject({ sameContent: true });
  });

  it('does not tombstone items of a part that failed, but does in the parts that succeeded', () => {
    const current = [item('a1', { v: '1' }, 'group:a'), item('b1', { v: '1' }, 'group:b')];
    const plan = planChanges(current, seen(), { all: false, scopes: new Set(['group:a']) });
    expect(plan.changes.map((c) => [c.type, c.key.split('\u0000')[1]])).toEqual([['removed', 'b1']]);
  });

  it('tombstones nothing when the whole source is incomplete', () => {
    const plan = planChanges([item('a1', { v: '1' })], seen(), { all: true });
    expect(plan.changes).toEqual([]);
  });
});
