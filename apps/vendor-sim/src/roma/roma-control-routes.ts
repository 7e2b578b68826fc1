import { Router, type Response } from 'express';
import type { LiveDataApi, RomaApp, SignatureKey } from './roma-model.js';
import type { RomaState } from './roma-state.js';

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: message });
}

function notFound(res: Response, what: string): void {
  res.status(404).json({ error: `no such ${what}` });
}

function bodyOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/**
 * `/_sim/roma/...`: the ROMA estate as the simulator holds it (secrets and decoded scripts
 * included), and vendor-side edits between two backups. Mounted by sim-control-routes.ts, which
 * parses JSON bodies.
 */
export function romaControlRouter(roma: RomaState): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.json({ instanceId: roma.instanceId, ...roma.counts() });
  });

  router.get('/apps', (_req, res) => {
    res.json({ apps: roma.apps() });
  });
  router.put('/apps/:id', (req, res) => {
    const body = bodyOf(req.body);
    const now = new Date().toISOString();
    const existing = roma.app(req.params.id);
    const app = { ...existing, createdAt: existing?.createdAt ?? now, updatedAt: now, ...body, id: req.params.id } as RomaApp;
    try {
      roma.upsertApp(app);
    } catch (error) {
      return badRequest(res, (error as Error).message);
    }
    res.json(roma.app(req.params.id));
  });
  router.delete('/apps/:id', (req, res) => {
    if (!roma.removeApp(req.params.id)) return notFound(res, 'app');
    res.status(204).end();
  });

  router.get('/signatures', (_req, res) => {
    res.json({ signatures: roma.signatures() });
  });
  router.put('/signatures/:id', (req, res) => {
    try {
      roma.upsertSignature({ ...bodyOf(req.body), id: req.params.id } as SignatureKey);
    } catch (error) {
      return badRequest(res, (error as Error).message);
    }
    res.json(roma.signature(req.params.id));
  });

  router.get('/apis', (req, res) => {
    const appId = typeof req.query.app_id === 'string' ? req.query.app_id : undefined;
    res.json({ apis: roma.apis({ appId }) });
  });
  router.get('/apis/:id', (req, res) => {
    const api = roma.api(req.params.id);
    if (!api) return notFound(res, 'custom backend');
    res.json(api);
  });
  /** Creates or replaces a backend (the whole object but its id). */
  router.put('/apis/:id', (req, res) => {
    const now = new Date().toISOString();
    const body = bodyOf(req.body);
    const api = { createdAt: now, updatedAt: now, signatureId: null, requestBody: null, ...body, id: req.params.id } as LiveDataApi;
    try {
      roma.upsertApi(api);
    } catch (error) {
      return badRequest(res, (error as Error).message);
    }
    res.json(roma.api(req.params.id));
  });
  /** Changes some fields of a backend, e.g. `{"description": "..."}` or `{"scripts": [...]}`. */
  router.patch('/apis/:id', (req, res) => {
    if (!roma.api(req.params.id)) return notFound(res, 'custom backend');
    try {
      res.json(roma.patchApi(req.params.id, { ...bodyOf(req.body), updatedAt: new Date().toISOString() }));
    } catch (error) {
      badRequest(res, (error as Error).message);
    }
  });
  router.delete('/apis/:id', (req, res) => {
    if (!roma.removeApi(req.params.id)) return notFound(res, 'custom backend');
    res.status(204).end();
  });
  return router;
}
