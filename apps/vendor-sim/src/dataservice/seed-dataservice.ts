import { DATASERVICE_APIS_PER_SCALE, generateDataServiceApis } from './api-generator.js';
import { DLM_TYPES } from './dataservice-api.js';
import { DataServiceState, type DataServiceStateOptions } from './dataservice-state.js';

/**
 * The seeded estate: two workspaces (the same ids as DLF: DataArts workspaces are shared by its
 * modules), each with a shared and an exclusive edition. Counts are DATASERVICE_APIS_PER_SCALE
 * times `scale`, rounded: 40 APIs at scale 1, 4,000 at scale 100.
 */
export function seedDataService(
  seed: number,
  scale: number,
  workspaces: { primary: string; secondary: string },
  options: DataServiceStateOptions = {},
): DataServiceState {
  const state = new DataServiceState(workspaces.primary, options);
  state.addWorkspace(workspaces.secondary);
  const plan = [
    { workspace: workspaces.primary, counts: DATASERVICE_APIS_PER_SCALE.primary, prefix: '', stream: 0 },
    { workspace: workspaces.secondary, counts: DATASERVICE_APIS_PER_SCALE.secondary, prefix: 'dev_', stream: 2 },
  ];
  for (const { workspace, counts, prefix, stream } of plan) {
    for (const [index, dlmType] of DLM_TYPES.entries()) {
      // One seed stream per workspace and edition, so that no set is a copy of another.
      const apis = generateDataServiceApis({
        seed: (seed * 31 + 0xd5 + stream + index) >>> 0,
        count: Math.max(0, Math.round(counts[dlmType] * scale)),
        dlmType,
        namePrefix: `${prefix}${dlmType === 'SHARED' ? 's_' : ''}`,
      });
      for (const api of apis) state.upsert(api, workspace, dlmType);
    }
  }
  return state;
}
