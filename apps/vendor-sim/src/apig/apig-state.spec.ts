import { generateApigEstate, loadApigEstate } from './apig-estate-generator.js';
import { ApigState, ApigStateError } from './apig-state.js';

/** A small seeded instance: 2 groups of 5 APIs. */
function seededState(): ApigState {
  const state = new ApigState('instance');
  loadApigEstate(state, generateApigEstate(1, 2 / 3, 'project'));
  return state;
}

describe('ApigState group and API indexes', () => {
  it('frees a group name when the group is renamed or removed', () => {
    const state = seededState();
    const [first, second] = state.listGroups();
    expect(() => state.upsertGroup({ ...second, name: first.name })).toThrow(ApigStateError);

    state.upsertGroup({ ...first, name: 'renamed' });
    expect(state.findGroupByName(first.name)).toBeUndefined();
    expect(state.findGroupByName('renamed')?.id).toBe(first.id);
    state.upsertGroup({ ...second, name: first.name });
    expect(state.findGroupByName(first.name)?.id).toBe(second.id);

    expect(state.removeGroup(second.id)).toBe(true);
    expect(state.findGroupByName(first.name)).toBeUndefined();
  });

  it('lists, checks and removes APIs by the group they are in now', () => {
    const state = seededState();
    const [first, second] = state.listGroups();
    const inFirst = state.listApis({ groupId: first.id });
    const inSecond = state.listApis({ groupId: second.id });
    expect(inFirst.length + inSecond.length).toBe(state.listApis().length);

    // Moved: the API now counts in the second group only, and clashes there by name.
    const moved = { ...inFirst[0], groupId: second.id, name: 'moved_api', path: '/moved' };
    state.upsertApi(moved);
    expect(state.listApis({ groupId: first.id }).map((a) => a.id)).not.toContain(moved.id);
    expect(state.listApis({ groupId: second.id }).map((a) => a.id)).toContain(moved.id);
    expect(() => state.upsertApi({ ...inSecond[0], name: 'moved_api' })).toThrow(/already has an API named/);
    expect(() => state.upsertApi({ ...inFirst[1], name: 'moved_api', path: '/other' })).not.toThrow();

    // Removing a group removes exactly its APIs.
    const secondIds = state.listApis({ groupId: second.id }).map((a) => a.id);
    state.removeGroup(second.id);
    for (const id of secondIds) expect(state.getApi(id)).toBeUndefined();
    expect(state.listApis().map((a) => a.groupId)).toEqual(state.listApis().map(() => first.id));
  });
});
