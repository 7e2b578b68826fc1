import express, { Router, type Response } from 'express';
import { apigControlRouter } from './apig/apig-control-routes.js';
import type { ApigState } from './apig/apig-state.js';
import type { DlfState } from './dlf/dlf-state.js';
import { dataServiceControlRouter } from './dataservice/control-routes.js';
import type { DataServiceState } from './dataservice/dataservice-state.js';
import { dataWorksControlRouter } from './dataworks/dataworks-control-routes.js';
import type { DataWorksState } from './dataworks/dataworks-state.js';
import { countEstate, type EstateCensus } from './estate-census.js';
import { mutateEstate } from './estate-mutation.js';
import { faultControlRouter } from './fault-control-routes.js';
import type { FaultInjector } from './faults.js';
import { iamControlRouter } from './iam/iam-control-routes.js';
import type { IamState } from './iam/iam-state.js';
import type { LoggedRequest } from './request-log.js';
import { requestLogRouter } from './request-log-routes.js';
import { romaControlRouter } from './roma/roma-control-routes.js';
import type { RomaState } from './roma/roma-state.js';

export interface SimControlDeps {
  dlf: DlfState;
  dataService: DataServiceState;
  faults: FaultInjector;
  census?: EstateCensus;
  roma: RomaState;
  iam: IamState;
  apig: ApigState;
  dataworks: DataWorksState;
  /** Every vendor call received (not `/_sim/` calls), for `GET /_sim/requests`. */
  requestLog: readonly LoggedRequest[];
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: message });
}

function queryWorkspace(value: unknown, dlf: DlfState): string {
  return typeof value === 'string' && value !== '' ? value : dlf.defaultWorkspace;
}

/**
 * Control API under `/_sim/`, for the standalone demo and black-box tests. NOT authenticated and
 * not part of any vendor API: served only when asked for (`admin`), on a localhost simulator.
 */
export function simControlRouter(deps: SimControlDeps): Router {
  const { dlf, faults } = deps;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.use('/faults', faultControlRouter(faults));
  router.use('/requests', requestLogRouter(deps.requestLog));
  router.use('/roma', romaControlRouter(deps.roma));
  router.use('/iam', iamControlRouter(deps.iam));
  router.use('/apig', apigControlRouter(deps.apig));
  router.use('/dataworks', dataWorksControlRouter(deps.dataworks));
  router.get('/estate', (_req, res) => {
    res.json(countEstate(deps.census ?? {}));
  });
  /** `{"share": 0.01, "seed": 1}`: edits that share of every vendor's items (see estate-mutation.ts). */
  router.post('/estate/mutate', (req, res) => {
    const body = (req.body ?? {}) as { share?: unknown; seed?: unknown };
    try {
      res.json(mutateEstate(deps, { share: body.share as number, seed: body.seed as number | undefined }));
    } catch (error) {
      badRequest(res, (error as Error).message);
    }
  });

  router.get('/dlf/workspaces', (_req, res) => {
    res.json({ defaultWorkspace: dlf.defaultWorkspace, workspaces: dlf.workspaces() });
  });
  router.get('/dlf/connections', (req, res) => {
    const workspace = queryWorkspace(req.query.workspace, dlf);
    if (!dlf.hasWorkspace(workspace)) return badRequest(res, `unknown workspace ${workspace}`);
    res.json({ workspace, connections: dlf.list(workspace) });
  });
  router.put('/dlf/connections/:name', (req, res) => {
    const workspace = queryWorkspace(req.query.workspace, dlf);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.name !== undefined && body.name !== req.params.name) return badRequest(res, 'the body name differs from the path');
    const connection = { name: req.params.name, type: body.type, config: body.config, description: body.description ?? '' };
    try {
      dlf.upsert(connection as Parameters<DlfState['upsert']>[0], workspace);
    } catch (error) {
      return badRequest(res, (error as Error).message);
    }
    res.json(dlf.get(req.params.name, workspace));
  });
  router.delete('/dlf/connections/:name', (req, res) => {
    const workspace = queryWorkspace(req.query.workspace, dlf);
    if (!dlf.remove(req.params.name, workspace)) return void res.status(404).json({ error: 'no such connection' });
    res.status(204).end();
  });

  router.use('/dataservice', dataServiceControlRouter(deps.dataService));

  router.use((_req, res) => {
    res.status(404).json({ error: 'unknown /_sim/ route' });
  });
  return router;
}
