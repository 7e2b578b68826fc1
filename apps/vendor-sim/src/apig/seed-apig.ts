import { generateApigEstate, loadApigEstate } from './apig-estate-generator.js';
import { ApigState } from './apig-state.js';

/** The instance id of the simulated dedicated gateway (32 hex digits, like the vendor's). */
export const DEFAULT_APIG_INSTANCE_ID = 'e3a7c9b1d5f24e0a8b6c4d2e1f0a9b87';

/** The API Gateway instance of a fresh simulator, seeded from (seed, scale). */
export function seedApig(seed: number, scale: number, projectId: string, instanceId = DEFAULT_APIG_INSTANCE_ID): ApigState {
  const apig = new ApigState(instanceId);
  loadApigEstate(apig, generateApigEstate(seed, scale, projectId));
  return apig;
}
