import { Router, type Response } from 'express';
import { z } from 'zod';
import { DataWorksInputError } from './dataworks-api-input.js';
import type { DataWorksState } from './dataworks-state.js';

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: message });
}

function idParam(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

const optionsSchema = z.strictObject({
  singleElementLists: z.enum(['object', 'array']).optional(),
  throttling: z
    .strictObject({
      userPerSecond: z.number().int().positive().nullable().optional(),
      apiPerSecond: z.number().int().positive().nullable().optional(),
      systemPerSecond: z.number().int().positive().nullable().optional(),
      retryAfter: z.boolean().nullable().optional(),
    })
    .optional(),
});

/** null removes a setting (a limit is off); a field left out stays as it is. */
function applyPatch<T extends object>(target: T, patch: { [K in keyof T]?: T[K] | null }): void {
  for (const key of Object.keys(patch) as Array<keyof T>) {
    const value = patch[key];
    if (value === null) delete target[key];
    else if (value !== undefined) target[key] = value as T[keyof T];
  }
}

const projectSchema = z.strictObject({
  projectId: z.number().int().positive(),
  tenantId: z.number().int().positive().optional(),
  forbidden: z.boolean().optional(),
});

/**
 * `/_sim/dataworks/...`: vendor-side edits between two backups. APIs are given in the listing's
 * own shape (`ApiName`, `WizardDetails: {...}`), or as CreateDataServiceApi parameters.
 */
export function dataWorksControlRouter(state: DataWorksState): Router {
  const router = Router();
  const withProject = (res: Response, raw: string | undefined): number | undefined => {
    const projectId = idParam(raw);
    if (projectId === undefined || !state.project(projectId)) {
      res.status(404).json({ error: `no project ${raw}` });
      return undefined;
    }
    return projectId;
  };
  const inputError = (res: Response, error: unknown): void => {
    if (error instanceof DataWorksInputError) return badRequest(res, error.message);
    throw error;
  };

  router.get('/options', (_req, res) => {
    res.json(state.options);
  });
  router.patch('/options', (req, res) => {
    const parsed = optionsSchema.safeParse(req.body ?? {});
    if (!parsed.success) return badRequest(res, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (parsed.data.singleElementLists) state.options.singleElementLists = parsed.data.singleElementLists;
    applyPatch(state.options.throttling, parsed.data.throttling ?? {});
    res.json(state.options);
  });

  router.get('/projects', (_req, res) => {
    res.json({ tenantId: state.tenantId, projects: state.listProjects().map((p) => ({ ...p, apis: state.count(p.projectId) })) });
  });
  router.post('/projects', (req, res) => {
    const parsed = projectSchema.safeParse(req.body ?? {});
    if (!parsed.success) return badRequest(res, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (state.project(parsed.data.projectId)) return void res.status(409).json({ error: `project ${parsed.data.projectId} exists` });
    res.status(201).json(state.addProject(parsed.data.projectId, parsed.data));
  });
  router.patch('/projects/:projectId', (req, res) => {
    const projectId = withProject(res, req.params.projectId);
    if (projectId === undefined) return;
    const forbidden = (req.body as { forbidden?: unknown } | undefined)?.forbidden;
    if (typeof forbidden !== 'boolean') return badRequest(res, 'forbidden must be true or false');
    state.setForbidden(projectId, forbidden);
    res.json(state.project(projectId));
  });

  router.get('/projects/:projectId/apis', (req, res) => {
    const projectId = withProject(res, req.params.projectId);
    if (projectId === undefined) return;
    res.json({ projectId, apis: state.list(projectId) });
  });
  router.post('/projects/:projectId/apis', (req, res) => {
    const projectId = withProject(res, req.params.projectId);
    if (projectId === undefined) return;
    const body = (req.body ?? {}) as Record<string, unknown> & { CreatorId?: unknown };
    try {
      res.status(201).json(state.create(projectId, body, typeof body.CreatorId === 'string' ? body.CreatorId : '1234567890123456'));
    } catch (error) {
      inputError(res, error);
    }
  });
  router.patch('/projects/:projectId/apis/:apiId', (req, res) => {
    const projectId = withProject(res, req.params.projectId);
    const apiId = idParam(req.params.apiId);
    if (projectId === undefined) return;
    if (apiId === undefined || !state.get(projectId, apiId)) return void res.status(404).json({ error: `no API ${req.params.apiId}` });
    try {
      res.json(state.update(projectId, apiId, (req.body ?? {}) as Record<string, unknown>));
    } catch (error) {
      inputError(res, error);
    }
  });
  router.delete('/projects/:projectId/apis/:apiId', (req, res) => {
    const projectId = withProject(res, req.params.projectId);
    if (projectId === undefined) return;
    const apiId = idParam(req.params.apiId);
    if (apiId === undefined || !state.remove(projectId, apiId)) return void res.status(404).json({ error: `no API ${req.params.apiId}` });
    res.status(204).end();
  });
  return router;
}
