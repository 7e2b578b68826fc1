import { Router } from 'express';
import type { FaultInjector } from '../faults.js';
import { romaExportRouter } from './roma-export-route.js';
import { romaImportRouter } from './roma-import-route.js';
import { romaListingRouter } from './roma-listing-routes.js';
import { ROMA_INSTANCE_PREFIX, romaInstanceGuard } from './roma-request.js';
import type { RomaState } from './roma-state.js';

export interface RomaRouterDeps {
  projectId: string;
  roma: RomaState;
  faults: FaultInjector;
  now: () => Date;
}

/**
 * ROMA Connect's API Connect calls (VENDORS.md section 3): app listing, custom backend listing,
 * export and import, all under `/v2/{project_id}/apic/instances/{instance_id}`. Authentication
 * happens before, in the gateway middleware.
 */
export function romaRouter(deps: RomaRouterDeps): Router {
  const instance = Router({ mergeParams: true });
  instance.use(romaListingRouter(deps));
  instance.use(romaExportRouter(deps));
  instance.use(romaImportRouter(deps));

  const router = Router();
  router.use(ROMA_INSTANCE_PREFIX, romaInstanceGuard(deps.projectId, deps.roma), instance);
  return router;
}
