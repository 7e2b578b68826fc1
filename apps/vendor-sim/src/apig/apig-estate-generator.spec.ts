import { DEFAULT_PROJECT_ID } from '../vendor-sim.js';
import { PLANTED_SECRET_PREFIX } from '../dlf/dlf-connection.js';
import { APIG_APIS_PER_SCALE, generateApigEstate, loadApigEstate } from './apig-estate-generator.js';
import { RELEASE_ENV_ID } from './apig-model.js';
import { ApigState } from './apig-state.js';

describe('generateApigEstate', () => {
  it('is deterministic for a seed and scale', () => {
    expect(generateApigEstate(42, 1, DEFAULT_PROJECT_ID)).toEqual(generateApigEstate(42, 1, DEFAULT_PROJECT_ID));
    expect(generateApigEstate(42, 1, DEFAULT_PROJECT_ID)).not.toEqual(generateApigEstate(43, 1, DEFAULT_PROJECT_ID));
  });

  it('grows linearly with the scale: 3 groups and 30 APIs per unit, two environments', () => {
    for (const scale of [0.1, 1, 2, 10]) {
      const estate = generateApigEstate(7, scale, DEFAULT_PROJECT_ID);
      expect(estate.apis).toHaveLength(Math.round(APIG_APIS_PER_SCALE * scale));
      expect(estate.groups).toHaveLength(Math.max(1, Math.round(3 * scale)));
      expect(estate.envs.map((e) => e.name)).toEqual(['RELEASE', 'TEST']);
    }
  });

  it.each([1, 2, 3, 5, 42, 1234])('covers every method, auth, backend and publication case at scale 1 (seed %i)', (seed) => {
    const estate = generateApigEstate(seed, 1, DEFAULT_PROJECT_ID);
    const { apis, publications } = estate;
    expect(new Set(apis.map((a) => a.method))).toEqual(new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ANY']));
    expect(new Set(apis.map((a) => `${a.authType}${a.appCodeAuth ? '+appcode' : ''}`))).toEqual(new Set(['APP', 'APP+appcode', 'IAM', 'NONE', 'AUTHORIZER']));
    expect(new Set(apis.map((a) => a.backend?.type ?? 'none'))).toEqual(new Set(['HTTP', 'HTTP-VPC', 'FUNCTION', 'MOCK', 'none']));
    const envsOf = (id: string) => publications.filter((p) => p.apiId === id).map((p) => p.envId === RELEASE_ENV_ID ? 'R' : 'T').sort().join('');
    expect(new Set(apis.map((a) => envsOf(a.id)))).toEqual(new Set(['R', 'RT', 'T', '']));
    expect(new Set(publications.map((p) => p.throttle).filter(Boolean)).size).toBeGreaterThan(0);
    expect(new Set(publications.map((p) => p.acl).filter(Boolean))).toEqual(new Set(['acl_office_ip', 'acl_block_domain']));
    const planted = apis.flatMap((a) => a.backendParameters).filter((p) => p.value.startsWith(PLANTED_SECRET_PREFIX));
    expect(planted).toHaveLength(1);
    // Console-created APIs keep the console's default `API_xxxxxxxx` names.
    expect(apis.some((a) => /^API_[0-9a-f]{8}$/.test(a.name))).toBe(true);
  });

  it('loads into a state that holds unique method + path and names per group', () => {
    const state = new ApigState('instance');
    const estate = generateApigEstate(99, 5, DEFAULT_PROJECT_ID);
    loadApigEstate(state, estate);
    expect(state.listApis()).toHaveLength(estate.apis.length);
    expect(state.listGroups()).toHaveLength(estate.groups.length);
    for (const group of estate.groups) {
      const apis = state.listApis({ groupId: group.id });
      expect(new Set(apis.map((a) => `${a.method} ${a.path}`)).size).toBe(apis.length);
    }
  });
});
