import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { DLM_TYPES, isOneOf, type DlmType } from './dataservice-api.js';
import { DEFAULT_DLM_TYPE, type DataServiceState } from './dataservice-state.js';

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: message });
}

/** `?workspace=&dlmType=`: the default workspace and the shared edition when absent. */
function target(req: Request, res: Response, state: DataServiceState): { workspace: string; dlmType: DlmType } | undefined {
  const workspace = typeof req.query.workspace === 'string' && req.query.workspace !== '' ? req.query.workspace : state.defaultWorkspace;
  const rawType = typeof req.query.dlmType === 'string' && req.query.dlmType !== '' ? req.query.dlmType : DEFAULT_DLM_TYPE;
  if (!isOneOf(DLM_TYPES, rawType)) return void badRequest(res, `dlmType must be SHARED or EXCLUSIVE, got ${rawType}`);
  if (!state.hasWorkspace(workspace)) return void badRequest(res, `unknown workspace ${workspace}`);
  return { workspace, dlmType: rawType };
}

const settingsSchema = z.strictObject({
  locale: z.enum(['en', 'zh']).optional(),
  exportWindowMs: z.int().nonnegative().optional(),
  retryAfter: z.boolean().optional(),
});

function settingsOf(state: DataServiceState) {
  return { locale: state.locale, exportWindowMs: state.exportLimiter.windowMs, retryAfter: state.retryAfter };
}

/**
 * `/_sim/dataservice/...`: read and edit the DataService estate between exports, and its export
 * settings. Mounted by the control router (unauthenticated, off unless `admin`).
 */
export function dataServiceControlRouter(state: DataServiceState): Router {
  const router = Router();

  router.get('/workspaces', (_req, res) => {
    const workspaces = state.workspaces().map((workspace) => ({
      workspace,
      apis: Object.fromEntries(DLM_TYPES.map((dlmType) => [dlmType, state.count(workspace, dlmType)])),
    }));
    res.json({ defaultWorkspace: state.defaultWorkspace, workspaces });
  });

  router.get('/apis', (req, res) => {
    const where = target(req, res, state);
    if (where) res.json({ ...where, apis: state.list(where.workspace, where.dlmType) });
  });

  router.get('/apis/:id', (req, res) => {
    const where = target(req, res, state);
    if (!where) return;
    const api = state.get(req.params.id, where.workspace, where.dlmType);
    if (!api) return void res.status(404).json({ error: 'no such API' });
    res.json(api);
  });

  /** Creates or replaces the API with this id (the body is the whole API; its id may be left out). */
  router.put('/apis/:id', (req, res) => {
    const where = target(req, res, state);
    if (!where) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.id !== undefined && body.id !== req.params.id) return badRequest(res, 'the body id differs from the path');
    try {
      res.json(state.upsert({ ...body, id: req.params.id } as Parameters<DataServiceState['upsert']>[0], where.workspace, where.dlmType));
    } catch (error) {
      badRequest(res, (error as Error).message);
    }
  });

  router.delete('/apis/:id', (req, res) => {
    const where = target(req, res, state);
    if (!where) return;
    if (!state.remove(req.params.id, where.workspace, where.dlmType)) return void res.status(404).json({ error: 'no such API' });
    res.status(204).end();
  });

  router.get('/settings', (_req, res) => {
    res.json(settingsOf(state));
  });

  router.put('/settings', (req, res) => {
    const parsed = settingsSchema.safeParse(req.body ?? {});
    if (!parsed.success) return badRequest(res, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const { locale, exportWindowMs, retryAfter } = parsed.data;
    if (locale !== undefined) state.locale = locale;
    if (exportWindowMs !== undefined) state.exportLimiter.windowMs = exportWindowMs;
    if (retryAfter !== undefined) state.retryAfter = retryAfter;
    res.json(settingsOf(state));
  });

  /** Forgets the per-workspace export windows: the next export of any workspace is admitted. */
  router.delete('/export-limit', (_req, res) => {
    state.exportLimiter.reset();
    res.status(204).end();
  });

  return router;
}
