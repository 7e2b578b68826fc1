import { DataWorksState } from './dataworks-state.js';
import { DATAWORKS_APIS_PER_SCALE, generateDataWorksApis } from './dataworks-generator.js';

/** The simulated tenant and its two workspaces (fixed, so demo and test configurations can name them). */
export const DATAWORKS_TENANT_ID = 30_001;
export const DATAWORKS_PROJECT_IDS = [10_001, 10_002] as const;

/**
 * The seeded DataWorks estate: `round(25 * scale)` APIs in each of the two workspaces, ids
 * counting up from 10001 across them, deterministic for (seed, scale).
 */
export function seedDataWorks(seed: number, scale: number, now?: () => Date): DataWorksState {
  const state = new DataWorksState(DATAWORKS_TENANT_ID, { seed, now });
  const count = Math.max(0, Math.round(DATAWORKS_APIS_PER_SCALE * scale));
  let nextId = 10_001;
  DATAWORKS_PROJECT_IDS.forEach((projectId, index) => {
    state.addProject(projectId);
    // A stream per workspace, so the second is not a copy of the first.
    for (const api of generateDataWorksApis({ seed: seed + index * 7919, count, projectId, tenantId: DATAWORKS_TENANT_ID, firstApiId: nextId })) {
      state.insert(api, { trusted: true });
    }
    nextId += count;
  });
  return state;
}
