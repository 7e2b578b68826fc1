import { Router } from 'express';
import { dataServiceExportHandler, type DataServiceRouteDeps } from './export-route.js';
import { dataServiceImportHandler } from './import-route.js';

/** DataArts DataService's vendor calls, behind the Huawei gateway emulation (authenticated, raw body). */
export function dataServiceRouter(deps: DataServiceRouteDeps): Router {
  const router = Router();
  router.post('/v1/:projectId/service/export/zip', dataServiceExportHandler(deps));
  router.post('/v1/:projectId/service/import/excel', dataServiceImportHandler(deps));
  return router;
}
