import { generateRomaEstate } from './roma-generator.js';
import { DEFAULT_ROMA_INSTANCE_ID } from './roma-model.js';
import { RomaState } from './roma-state.js';

/** The ROMA instance of a fresh simulator, seeded from (seed, scale). */
export function seedRoma(seed: number, scale: number, instanceId = DEFAULT_ROMA_INSTANCE_ID): RomaState {
  const roma = new RomaState(instanceId);
  const estate = generateRomaEstate(seed, scale);
  for (const app of estate.apps) roma.upsertApp(app);
  for (const signature of estate.signatures) roma.upsertSignature(signature);
  for (const api of estate.apis) roma.upsertApi(api);
  return roma;
}
