import express, { Router, type Response } from 'express';
import type { DlfState } from './dlf/dlf-state.js';
import { isSimFault, type FaultInjector } from './faults.js';

export interface SimControlDeps {
  dlf: DlfState;
  faults: FaultInjector;
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: message });
}

function queryWorkspace(value: unknown, dlf: DlfState): string {
  return typeof value === 'string' && value !== '' ? value : dlf.defaultWorkspace;
}

/**
 * Control API under `/_sim/`, for the standalone demo and black-box tests. NOT authenticated and
 * not part of any vendor API: it exists only because the simulator binds to localhost.
 */
export function simControlRouter(deps: SimControlDeps): Router {
  const { dlf, faults } = deps;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/faults', (_req, res) => {
    res.json({ faults: faults.list() });
  });
  router.post('/faults', (req, res) => {
    const { fault, times, route } = (req.body ?? {}) as { fault?: unknown; times?: unknown; route?: unknown };
    if (!isSimFault(fault)) return badRequest(res, `unknown fault: ${JSON.stringify(fault)}`);
    if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
      return badRequest(res, 'times must be a positive integer');
    }
    if (route !== undefined && typeof route !== 'string') return badRequest(res, 'route must be a string');
    faults.inject(fault, { times, route });
    res.status(204).end();
  });
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
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

  router.use((_req, res) => {
    res.status(404).json({ error: 'unknown /_sim/ route' });
  });
  return router;
}
