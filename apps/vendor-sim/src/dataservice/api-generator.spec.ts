import { PLANTED_SECRET_PREFIX } from '../dlf/dlf-connection.js';
import { generateDataServiceApis } from './api-generator.js';
import { parseDataServiceApi } from './dataservice-api-schema.js';
import { API_TYPES, SHARED_API_TYPES } from './dataservice-api.js';
import { seedDataService } from './seed-dataservice.js';

const WORKSPACES = { primary: 'a'.repeat(32), secondary: 'b'.repeat(32) };

describe('generateDataServiceApis', () => {
  it('is deterministic for a seed', () => {
    const options = { seed: 42, count: 30, dlmType: 'EXCLUSIVE' as const };
    expect(generateDataServiceApis(options)).toEqual(generateDataServiceApis(options));
    expect(generateDataServiceApis(options)).not.toEqual(generateDataServiceApis({ ...options, seed: 43 }));
  });

  it.each([1, 2, 7, 99])('covers every type of the edition with valid, uniquely named APIs (seed %i)', (seed) => {
    const exclusive = generateDataServiceApis({ seed, count: API_TYPES.length, dlmType: 'EXCLUSIVE' });
    expect(new Set(exclusive.map((api) => api.api_type))).toEqual(new Set(API_TYPES));
    const shared = generateDataServiceApis({ seed, count: 40, dlmType: 'SHARED' });
    expect(new Set(shared.map((api) => api.api_type))).toEqual(new Set(SHARED_API_TYPES));
    for (const api of [...exclusive, ...shared]) expect(parseDataServiceApi(api)).toEqual(api);
    expect(new Set(shared.map((api) => api.name)).size).toBe(shared.length);
  });

  it('gives each type the configuration it needs, and plants backend secrets', () => {
    const apis = generateDataServiceApis({ seed: 5, count: 200, dlmType: 'EXCLUSIVE' });
    for (const api of apis) {
      const usesDatasource = ['API_SPECIFIC_TYPE_CONFIGURATION', 'API_SPECIFIC_TYPE_SCRIPT', 'API_SPECIFIC_TYPE_MYBATIS'].includes(api.api_type);
      expect([api.api_type, api.datasource_config !== null]).toEqual([api.api_type, usesDatasource]);
      expect([api.api_type, api.backend_config !== null]).toEqual([api.api_type, api.api_type === 'API_SPECIFIC_TYPE_REGISTER']);
      expect([api.api_type, api.groovy_content !== null]).toEqual([api.api_type, api.api_type === 'API_SPECIFIC_TYPE_GROOVY']);
    }
    const secrets = apis.flatMap((api) => api.backend_config?.constant_paras ?? []).filter((c) => c.value.startsWith(PLANTED_SECRET_PREFIX));
    expect(secrets.length).toBeGreaterThan(0);
  });
});

describe('seedDataService', () => {
  it('seeds 40 APIs at scale 1 over two workspaces and both editions, linear in scale', () => {
    const one = seedDataService(42, 1, WORKSPACES);
    expect(one.totalCount()).toBe(40);
    expect([one.count(WORKSPACES.primary, 'EXCLUSIVE'), one.count(WORKSPACES.primary, 'SHARED')]).toEqual([24, 6]);
    expect([one.count(WORKSPACES.secondary, 'EXCLUSIVE'), one.count(WORKSPACES.secondary, 'SHARED')]).toEqual([8, 2]);
    expect(seedDataService(42, 10, WORKSPACES).totalCount()).toBe(400);
    expect(seedDataService(42, 0.5, WORKSPACES).totalCount()).toBe(20);
  });

  it('never repeats an id across workspaces and editions', () => {
    const state = seedDataService(7, 5, WORKSPACES);
    const ids = [WORKSPACES.primary, WORKSPACES.secondary].flatMap((ws) => [...state.list(ws, 'SHARED'), ...state.list(ws, 'EXCLUSIVE')].map((a) => a.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
