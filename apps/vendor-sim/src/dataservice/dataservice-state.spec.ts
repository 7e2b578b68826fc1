import { generateDataServiceApis } from './api-generator.js';
import { DataServiceState } from './dataservice-state.js';

describe('DataServiceState', () => {
  const [first, second] = generateDataServiceApis({ seed: 3, count: 2, dlmType: 'SHARED' });

  it('keeps names unique per edition, freeing a name on rename and on removal', () => {
    const state = new DataServiceState('w');
    state.upsert(first, 'w', 'SHARED');
    state.upsert(second, 'w', 'SHARED');
    expect(() => state.upsert({ ...second, name: first.name }, 'w', 'SHARED')).toThrow(/already exists/);
    // The other edition is another namespace.
    expect(state.upsert({ ...second, name: first.name }, 'w', 'EXCLUSIVE').name).toBe(first.name);

    state.upsert({ ...first, name: 'renamed_api' }, 'w', 'SHARED');
    expect(state.findByName(first.name, 'w', 'SHARED')).toBeUndefined();
    expect(state.upsert({ ...second, name: first.name }, 'w', 'SHARED').name).toBe(first.name);
    expect(state.remove(second.id, 'w', 'SHARED')).toBe(true);
    expect(state.findByName(first.name, 'w', 'SHARED')).toBeUndefined();
    expect(state.findByName('renamed_api', 'w', 'SHARED')?.id).toBe(first.id);
  });

  it('bumps its version on every change, and hands out copies', () => {
    const state = new DataServiceState('w');
    const v0 = state.version;
    state.upsert(first, 'w', 'SHARED');
    expect(state.version).toBe(v0 + 1);
    state.list('w', 'SHARED')[0].name = 'changed_behind_its_back';
    expect(state.get(first.id, 'w', 'SHARED')?.name).toBe(first.name);
    expect(state.remove('f'.repeat(32), 'w', 'SHARED')).toBe(false);
    expect(state.version).toBe(v0 + 1);
    expect(() => state.list('nope')).toThrow(/unknown workspace/);
  });
});
