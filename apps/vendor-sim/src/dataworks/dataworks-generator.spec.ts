import { readApiDefinition } from './dataworks-api-input.js';
import { DATAWORKS_APIS_PER_SCALE, generateDataWorksApis } from './dataworks-generator.js';
import { DATAWORKS_PROJECT_IDS, seedDataWorks } from './seed-dataworks.js';

const options = { seed: 3, count: 25, projectId: 10001, tenantId: 30001, firstApiId: 10001 };

describe('generateDataWorksApis', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateDataWorksApis(options)).toEqual(generateDataWorksApis(options));
    expect(generateDataWorksApis({ ...options, seed: 4 })).not.toEqual(generateDataWorksApis(options));
  });

  it('covers the three kinds and the list shapes a one-or-array reader must handle', () => {
    const apis = generateDataWorksApis(options);
    expect(new Set(apis.slice(0, 3).map((a) => a.ApiMode))).toEqual(new Set([0, 1, 2]));
    const requestCounts = apis.slice(0, 4).map((a) => (a.WizardDetails?.WizardRequestParameters ?? a.ScriptDetails?.ScriptRequestParameters ?? a.RegistrationDetails!.RegistrationRequestParameters).length);
    expect(requestCounts).toEqual([0, 1, 3, 2]);
    expect(apis.some((a) => a.Protocols.length === 2)).toBe(true);
    expect(apis.some((a) => a.Protocols.length === 1)).toBe(true);
  });

  it('makes only APIs the vendor would accept (CreateDataServiceApi rules), with unique ids, names and paths', () => {
    const apis = generateDataWorksApis({ ...options, count: 300 });
    for (const api of apis) expect(() => readApiDefinition(api as unknown as Record<string, unknown>)).not.toThrow();
    for (const field of ['ApiId', 'ApiName', 'ApiPath'] as const) expect(new Set(apis.map((a) => a[field])).size).toBe(apis.length);
    for (const api of apis) expect(api.ModifiedTime >= api.CreatedTime).toBe(true);
  });
});

describe('seedDataWorks', () => {
  it('seeds two workspaces of round(25 * scale) APIs each: linear in scale', () => {
    for (const scale of [0, 0.2, 1, 4]) {
      const state = seedDataWorks(42, scale);
      expect(state.listProjects().map((p) => p.projectId)).toEqual([...DATAWORKS_PROJECT_IDS]);
      for (const projectId of DATAWORKS_PROJECT_IDS) expect(state.count(projectId)).toBe(Math.round(DATAWORKS_APIS_PER_SCALE * scale));
    }
  });

  it('grows linearly and stays deterministic: twice the scale, twice the APIs', () => {
    const small = seedDataWorks(42, 20);
    const large = seedDataWorks(42, 40);
    expect(large.count()).toBe(2 * small.count());
    const [project] = DATAWORKS_PROJECT_IDS;
    expect(seedDataWorks(42, 20).list(project)).toEqual(small.list(project));
  });
});
