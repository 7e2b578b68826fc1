import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import { apigBindingsSchema, parseApigApi } from './apig-api-schema.js';
import { ApigStateError, type ApigState } from './apig-state.js';

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: message });
}

function notFound(res: Response, what: string): void {
  res.status(404).json({ error: `no such ${what}` });
}

function newId(): string {
  return randomBytes(16).toString('hex');
}

function nameAndRemark(body: unknown): { name: string; remark: string } | string {
  const { name, remark } = (body ?? {}) as { name?: unknown; remark?: unknown };
  if (typeof name !== 'string' || !/^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9_\u4e00-\u9fa5]{2,63}$/.test(name)) {
    return 'name: 3 to 64 letters, digits or underscores, starting with a letter';
  }
  if (remark !== undefined && typeof remark !== 'string') return 'remark must be a string';
  return { name, remark: remark ?? '' };
}

/**
 * `/_sim/apig/...`: vendor-side edits for tests and the demo (mounted by sim-control-routes.ts,
 * after its JSON body parser). Not part of the vendor API.
 */
export function apigControlRouter(apig: ApigState): Router {
  const router = Router();
  const guarded = (res: Response, change: () => void): boolean => {
    try {
      change();
      return true;
    } catch (error) {
      if (error instanceof ApigStateError) {
        badRequest(res, error.message);
        return false;
      }
      throw error;
    }
  };

  router.get('/', (_req, res) => {
    res.json({ instanceId: apig.instanceId, groups: apig.listGroups(), envs: apig.listEnvs() });
  });

  router.get('/groups', (_req, res) => {
    res.json({ groups: apig.listGroups() });
  });
  router.post('/groups', (req, res) => {
    const fields = nameAndRemark(req.body);
    if (typeof fields === 'string') return badRequest(res, fields);
    const id = newId();
    const now = apig.now().toISOString();
    const group = { id, ...fields, slDomain: `${id}.apic.cn-north-4.huaweicloudapis.com`, urlDomains: [], entryUrlPlaceholder: false, registerTime: now, updateTime: now };
    if (guarded(res, () => apig.upsertGroup(group))) res.status(201).json(apig.getGroup(id));
  });
  router.delete('/groups/:id', (req, res) => {
    if (!apig.removeGroup(req.params.id)) return notFound(res, 'group');
    res.status(204).end();
  });

  router.get('/envs', (_req, res) => {
    res.json({ envs: apig.listEnvs() });
  });
  router.post('/envs', (req, res) => {
    const fields = nameAndRemark(req.body);
    if (typeof fields === 'string') return badRequest(res, fields);
    const env = { id: newId(), ...fields, createTime: apig.now().toISOString() };
    if (guarded(res, () => apig.upsertEnv(env))) res.status(201).json(apig.getEnv(env.id));
  });
  router.delete('/envs/:id', (req, res) => {
    if (!apig.removeEnv(req.params.id)) return notFound(res, 'environment');
    res.status(204).end();
  });

  router.get('/apis', (req, res) => {
    const groupId = typeof req.query.group_id === 'string' ? req.query.group_id : undefined;
    res.json({ apis: apig.listApis({ groupId }).map((api) => ({ ...api, publications: apig.publicationsOf(api.id) })) });
  });
  router.get('/apis/:id', (req, res) => {
    const api = apig.getApi(req.params.id);
    if (!api) return notFound(res, 'API');
    res.json({ ...api, publications: apig.publicationsOf(api.id) });
  });
  /** Creates or replaces an API: the whole model (see apig-model.ts); times default to now. */
  router.put('/apis/:id', (req, res) => {
    const now = apig.now().toISOString();
    const existing = apig.getApi(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parseApigApi({ registerTime: existing?.registerTime ?? now, updateTime: now, ...body, id: req.params.id });
    if (!parsed.ok) return badRequest(res, parsed.problems);
    if (guarded(res, () => apig.upsertApi(parsed.api))) res.status(existing ? 200 : 201).json(apig.getApi(req.params.id));
  });
  /** Changes some fields of an API (top level, replaced whole); `updateTime` moves to now. */
  router.patch('/apis/:id', (req, res) => {
    const existing = apig.getApi(req.params.id);
    if (!existing) return notFound(res, 'API');
    const parsed = parseApigApi({ ...existing, updateTime: apig.now().toISOString(), ...((req.body ?? {}) as object), id: existing.id });
    if (!parsed.ok) return badRequest(res, parsed.problems);
    if (guarded(res, () => apig.upsertApi(parsed.api))) res.json(apig.getApi(existing.id));
  });
  router.delete('/apis/:id', (req, res) => {
    if (!apig.removeApi(req.params.id)) return notFound(res, 'API');
    res.status(204).end();
  });

  /** Publishes an API in an environment, with the throttling and ACL policies bound there (by name). */
  router.put('/apis/:id/publications/:envId', (req, res) => {
    const bindings = apigBindingsSchema.safeParse(req.body ?? {});
    if (!bindings.success) return badRequest(res, bindings.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    let publication: unknown;
    if (guarded(res, () => (publication = apig.publish(req.params.id, req.params.envId, bindings.data)))) res.json(publication);
  });
  router.delete('/apis/:id/publications/:envId', (req, res) => {
    if (!apig.unpublish(req.params.id, req.params.envId)) return notFound(res, 'publication');
    res.status(204).end();
  });

  router.get('/policies', (_req, res) => {
    res.json({ throttles: apig.listThrottles(), acls: apig.listAcls(), authorizers: apig.listAuthorizers() });
  });

  return router;
}
