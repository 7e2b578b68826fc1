import { createHash } from 'node:crypto';
import http from 'node:http';
import SwaggerParser from '@apidevtools/swagger-parser';
import { startVendorSim, type VendorSim } from '#vendor-sim';
import type { Role } from '../apps/apivault/src/auth/roles.js';
import { expressRoutes } from './support/express-routes.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { requestJson, startTestApp, type JsonAnswer, type TestApp } from './support/test-app.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const UNKNOWN_SHA = '0'.repeat(64);
const DLF = 'huawei.dataarts.dlf.connections';

type Access = Role | 'public';

/**
 * Every route of the admin API and the least role it needs. The guard is checked against this
 * table for every role (and no token), and a test below fails when the app has a route the
 * table does not list: a new route must say who may call it.
 */
const ROUTES: [method: string, path: string, access: Access][] = [
  ['GET', '/api/v1/health', 'public'],
  ['GET', '/metrics', 'public'],
  ['GET', '/api/v1/sources', 'viewer'],
  ['GET', `/api/v1/sources/${UNKNOWN_ID}`, 'viewer'],
  ['POST', '/api/v1/sources', 'admin'],
  ['PATCH', `/api/v1/sources/${UNKNOWN_ID}`, 'admin'],
  ['DELETE', `/api/v1/sources/${UNKNOWN_ID}`, 'admin'],
  ['POST', `/api/v1/sources/${UNKNOWN_ID}/test`, 'operator'],
  ['POST', `/api/v1/sources/${UNKNOWN_ID}/runs`, 'operator'],
  ['POST', `/api/v1/sources/${UNKNOWN_ID}/schedule/pause`, 'operator'],
  ['POST', `/api/v1/sources/${UNKNOWN_ID}/schedule/resume`, 'operator'],
  ['GET', '/api/v1/runs', 'viewer'],
  ['GET', `/api/v1/runs/${UNKNOWN_ID}`, 'viewer'],
  ['GET', `/api/v1/runs/${UNKNOWN_ID}/logs`, 'viewer'],
  ['POST', `/api/v1/runs/${UNKNOWN_ID}/cancel`, 'operator'],
  ['POST', `/api/v1/runs/${UNKNOWN_ID}/apply`, 'operator'],
  ['POST', `/api/v1/runs/${UNKNOWN_ID}/discard`, 'operator'],
  ['GET', '/api/v1/catalog/items', 'viewer'],
  ['GET', `/api/v1/catalog/items/${UNKNOWN_ID}`, 'viewer'],
  ['GET', `/api/v1/catalog/items/${UNKNOWN_ID}/diff`, 'viewer'],
  ['GET', '/api/v1/catalog/search', 'viewer'],
  ['GET', '/api/v1/changes', 'viewer'],
  ['GET', '/api/v1/diff', 'viewer'],
  ['GET', `/api/v1/artifacts/${UNKNOWN_SHA}`, 'viewer'],
  ['GET', `/api/v1/artifacts/${UNKNOWN_SHA}/content`, 'operator'],
  ['GET', '/api/v1/credentials', 'admin'],
  ['GET', `/api/v1/credentials/${UNKNOWN_ID}`, 'admin'],
  ['POST', '/api/v1/credentials', 'admin'],
  ['POST', `/api/v1/credentials/${UNKNOWN_ID}/rotate`, 'admin'],
  ['DELETE', `/api/v1/credentials/${UNKNOWN_ID}`, 'admin'],
  ['GET', '/api/v1/tokens', 'admin'],
  ['GET', `/api/v1/tokens/${UNKNOWN_ID}`, 'admin'],
  ['POST', '/api/v1/tokens', 'admin'],
  ['DELETE', `/api/v1/tokens/${UNKNOWN_ID}`, 'admin'],
  ['GET', '/api/v1/audit', 'admin'],
];

/** Routes other features own and test themselves (their roles are theirs to state). */
const OWNED_ELSEWHERE = /^\/api\/v1\/snapshots/;

const LEVEL: Record<Access, number> = { public: -1, viewer: 0, operator: 1, admin: 2 };

/** A request from a chosen loopback address: the rate limit is per client address. */
function requestFrom(localAddress: string, url: string, token: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { localAddress, headers: { authorization: `Bearer ${token}` } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode!, retryAfter: response.headers['retry-after'] as string | undefined }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe.each(testDatabaseTargets)('admin API: auth, roles, resources, audit, OpenAPI ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  const tokens = {} as Record<Role, string>;
  /** Every answer the API gave in this suite, except the ones that hand out a new token. */
  let answers = '';
  /** Every mutating call this suite made, to find in the audit trail. */
  const mutating: { method: string; path: string; status: number }[] = [];
  const planted = { password: `PLANTED-pw-${Date.now()}`, vendorSecret: '' };
  let sourceId: string;

  async function call<T = any>(method: string, path: string, options: { body?: unknown; token?: string | null; secretAnswer?: boolean } = {}): Promise<JsonAnswer<T>> {
    const answer = await requestJson<T>(method, `${t.url}${path}`, options.body, { token: options.token === undefined ? tokens.admin : options.token });
    if (!options.secretAnswer) answers += answer.text;
    if (!['GET', 'HEAD'].includes(method)) mutating.push({ method, path: path.split('?')[0]!, status: answer.status });
    return answer;
  }

  async function waitForRun(runId: string): Promise<any> {
    for (let i = 0; i < 600; i++) {
      const run = await call('GET', `/api/v1/runs/${runId}`, { token: tokens.viewer });
      if (run.body.status !== 'running' && run.body.status !== 'queued') return run.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('run did not finish');
  }

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 5, clock: new Date('2026-03-01T08:00:00Z') });
    planted.vendorSecret = sim.credentials.secretAccessKey;
    const database = await target.create();
    dropDb = database.drop;
    // Far more failed authentications than the default limit: the 401 matrix makes ~100.
    t = await startTestApp({ database: database.config, settings: { auth: { maxFailures: 10_000, windowMs: 60_000 } } });
    tokens.admin = t.adminToken;
    tokens.operator = await t.createToken('operator', 'test-operator');
    tokens.viewer = await t.createToken('viewer', 'test-viewer');
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  it('answers 401 without a token, and with an unknown or malformed one, on every protected route', async () => {
    for (const [method, path, access] of ROUTES) {
      for (const token of [null, 'avt_not-a-real-token', 'garbage']) {
        const answer = await call(method, path, { token });
        if (access === 'public') expect([method, path, answer.status]).not.toEqual([method, path, 401]);
        else {
          expect([method, path, answer.status]).toEqual([method, path, 401]);
          expect(answer.body.error.code).toBe('UNAUTHENTICATED');
          expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
        }
      }
    }
  });

  it('lets each role do exactly what it should, and answers 403 otherwise', async () => {
    for (const [method, path, access] of ROUTES) {
      for (const role of ['viewer', 'operator', 'admin'] as const) {
        const answer = await call(method, path, { token: tokens[role] });
        const allowed = LEVEL[role] >= LEVEL[access];
        // Allowed calls name unknown resources or carry no body: 404 or 400, never a change.
        expect([method, path, role, answer.status === 403]).toEqual([method, path, role, !allowed]);
        expect([method, path, role, answer.status === 401]).toEqual([method, path, role, false]);
        if (!allowed) expect(answer.body.error).toMatchObject({ code: 'FORBIDDEN', details: { required: access, role } });
      }
    }
  });

  it('lists every route of the app in the role table', () => {
    const registered = expressRoutes(t.app).filter((r) => !r.path.startsWith('/docs') && !OWNED_ELSEWHERE.test(r.path));
    const listed = new Set(ROUTES.map(([method, path]) => `${method} ${path.replace(UNKNOWN_ID, ':id').replace(UNKNOWN_SHA, ':sha256')}`));
    expect(registered.map((r) => `${r.method} ${r.path}`).filter((route) => !listed.has(route))).toEqual([]);
  });

  it('manages credentials without ever showing a secret', async () => {
    const bad = await call('POST', '/api/v1/credentials', { body: { name: 'sim', secret: { type: 'huawei-aksk', accessKeyId: 'AK' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'secret.secretAccessKey' } });

    const created = await call('POST', '/api/v1/credentials', { body: { name: 'sim', secret: { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: planted.vendorSecret } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'sim', type: 'huawei-aksk', managedBy: null, usedBy: [] });
    expect(await call('POST', '/api/v1/credentials', { body: { name: 'sim', secret: { type: 'huawei-token', token: 'x' } } })).toMatchObject({ status: 409, body: { error: { code: 'CREDENTIAL_EXISTS' } } });

    const spare = await call('POST', '/api/v1/credentials', { body: { name: 'spare', secret: { type: 'huawei-password', iamEndpoint: 'https://iam.example', domainName: 'd', userName: 'u', password: planted.password, projectName: 'p' } } });
    expect(spare.status).toBe(201);
    const rotated = await call('POST', '/api/v1/credentials/spare/rotate', { body: { secret: { type: 'huawei-password', iamEndpoint: 'https://iam.example', domainName: 'd', userName: 'u', password: `${planted.password}-2`, projectName: 'p' } } });
    expect(rotated.status).toBe(200);
    expect(Date.parse(rotated.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(spare.body.updatedAt));

    const page1 = await call('GET', '/api/v1/credentials?limit=1');
    expect(page1.body.items.map((c: any) => c.name)).toEqual(['sim']);
    const page2 = await call('GET', `/api/v1/credentials?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ items: [{ name: 'spare' }], nextCursor: null });
    expect(await call('GET', '/api/v1/credentials?cursor=garbage')).toMatchObject({ status: 400, body: { error: { details: { field: 'cursor' } } } });
    expect(await call('DELETE', '/api/v1/credentials/spare')).toMatchObject({ status: 200, body: { name: 'spare' } });
    expect((await call('GET', '/api/v1/credentials/spare')).status).toBe(404);
  });

  it('creates, validates, edits and tests sources', async () => {
    const badConfig = await call('POST', '/api/v1/sources', { body: { name: 'dlf', kind: DLF, config: { endpoint: 'not a url' }, credential: 'sim' } });
    expect(badConfig.status).toBe(400);
    expect(badConfig.body.error.message).toMatch(/endpoint/);
    expect(badConfig.body.error.message).toMatch(/projectId/);
    const badField = await call('POST', '/api/v1/sources', { body: { name: 'dlf', kind: DLF, config: {}, schedule: 'every day' } });
    expect(badField.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'schedule' } });
    const unknownKey = await call('POST', '/api/v1/sources', { body: { name: 'dlf', kind: DLF, config: {}, colour: 'red' } });
    expect(unknownKey.body.error.message).toMatch(/colour/);
    const notJson = await fetch(`${t.url}/api/v1/sources`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' }, body: '{"name": ' });
    mutating.push({ method: 'POST', path: '/api/v1/sources', status: notJson.status });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).error.code).toBe('BAD_REQUEST');

    const created = await call('POST', '/api/v1/sources', { body: { name: 'dlf', kind: DLF, config: { endpoint: sim.baseUrl, projectId: sim.projectId }, credential: 'sim', schedule: '0 3 * * *' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'dlf', kind: DLF, credentialName: 'sim', schedule: '0 3 * * *', managedBy: null, enabled: true });
    sourceId = created.body.id;
    expect((await call('POST', '/api/v1/sources', { body: { name: 'dlf', kind: DLF, config: { endpoint: sim.baseUrl, projectId: sim.projectId } } })).body.error.code).toBe('SOURCE_EXISTS');

    const edited = await call('PATCH', `/api/v1/sources/${sourceId}`, { body: { schedule: null, enabled: true } });
    expect(edited.body).toMatchObject({ schedule: null, enabled: true });

    const test = await call('POST', `/api/v1/sources/${sourceId}/test`, { token: tokens.operator });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: true, call: 'POST /v1/{project_id}/connections/export', error: null });
    expect(await t.db.prisma.run.count()).toBe(0);

    await call('POST', '/api/v1/credentials', { body: { name: 'wrong', secret: { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: 'not-the-secret-key-at-all-0123456789abcd' } } });
    const wrong = await call('POST', '/api/v1/sources', { body: { name: 'dlf-wrong-key', kind: DLF, config: { endpoint: sim.baseUrl, projectId: sim.projectId }, credential: 'wrong' } });
    const failed = await call('POST', `/api/v1/sources/${wrong.body.id}/test`, { token: tokens.operator });
    expect(failed.body).toMatchObject({ ok: false, error: { stage: 'fetch', code: 'HTTP_ERROR', status: 401 } });

    expect((await call('DELETE', '/api/v1/credentials/wrong')).body.error).toMatchObject({ code: 'CREDENTIAL_IN_USE', details: { sources: [{ name: 'dlf-wrong-key' }] } });
    expect((await call('DELETE', `/api/v1/sources/${wrong.body.id}`)).status).toBe(200);
    expect((await call('DELETE', '/api/v1/credentials/wrong')).status).toBe(200);

    const list = await call('GET', '/api/v1/sources?limit=10', { token: tokens.viewer });
    expect(list.body).toMatchObject({ items: [{ name: 'dlf' }], nextCursor: null });
  });

  it('runs a backup for an operator, shows its logs, and serves its raw export to operators only', async () => {
    expect((await call('POST', `/api/v1/sources/${sourceId}/runs`, { token: tokens.viewer })).status).toBe(403);
    const started = await call('POST', `/api/v1/sources/${sourceId}/runs`, { token: tokens.operator });
    expect(started.status).toBe(202);
    const run = await waitForRun(started.body.id);
    expect(run.status).toBe('succeeded');

    const logs = await call('GET', `/api/v1/runs/${run.id}/logs`, { token: tokens.viewer });
    expect(logs.body).toMatchObject({ runId: run.id, retained: true, dropped: 0, nextCursor: null });
    expect(logs.body.items.map((l: any) => l.msg)).toEqual(expect.arrayContaining(['run started', 'artifact archived', 'run finished']));
    const firstTwo = await call('GET', `/api/v1/runs/${run.id}/logs?limit=2`, { token: tokens.viewer });
    const rest = await call('GET', `/api/v1/runs/${run.id}/logs?cursor=${firstTwo.body.nextCursor}`, { token: tokens.viewer });
    expect([...firstTwo.body.items, ...rest.body.items].map((l: any) => l.seq)).toEqual(logs.body.items.map((l: any) => l.seq));

    const sha = run.artifacts[0].sha256;
    const meta = await call('GET', `/api/v1/artifacts/${sha}`, { token: tokens.viewer });
    expect(meta.body).toMatchObject({ sha256: sha, size: run.artifacts[0].size, runCount: 1, runs: [{ runId: run.id, sourceId, name: 'DLF_All_DataConnections.zip' }] });
    expect((await call('GET', `/api/v1/artifacts/${sha}/content`, { token: tokens.viewer })).status).toBe(403);
    expect((await call('GET', '/api/v1/artifacts/not-a-hash')).body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'sha256' } });

    const download = await fetch(`${t.url}/api/v1/artifacts/${sha}/content`, { headers: { authorization: `Bearer ${tokens.operator}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('DLF_All_DataConnections.zip');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);

    const audit = await call('GET', `/api/v1/audit?resourceId=${sha}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ actor: 'test-operator', role: 'operator', method: 'GET', route: '/api/v1/artifacts/:sha256/content', status: 200, ip: '127.0.0.1', details: null }),
      expect.objectContaining({ actor: 'test-viewer', method: 'GET', status: 403 }),
    ]);
  });

  it('cancels a running backup cooperatively, leaving the catalog as it was', async () => {
    const items = await t.db.prisma.catalogItem.count();
    sim.faults.inject('latency', { latencyMs: 5000 });
    const started = await call('POST', `/api/v1/sources/${sourceId}/runs`, { token: tokens.operator });
    const cancel = await call('POST', `/api/v1/runs/${started.body.id}/cancel`, { token: tokens.operator });
    expect(cancel.status).toBe(202);
    const began = Date.now();
    const run = await waitForRun(started.body.id);
    expect(Date.now() - began).toBeLessThan(4000);
    expect(run).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(run.error.message).toContain('test-operator');
    expect(await t.db.prisma.catalogItem.count()).toBe(items);
    expect((await call('POST', `/api/v1/runs/${run.id}/cancel`, { token: tokens.operator })).body.error.code).toBe('RUN_NOT_ACTIVE');
  });

  it('exports Prometheus metrics from the database', async () => {
    // A fault queued by an earlier test but never reached (its run was cancelled before it
    // called the vendor) would take this one's turn.
    sim.faults.clear();
    sim.faults.inject('http-401');
    const failed = await waitForRun((await call('POST', `/api/v1/sources/${sourceId}/runs`, { token: tokens.operator })).body.id);
    expect(failed.status).toBe('failed');
    const metrics = await fetch(`${t.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    const items = await t.db.prisma.catalogItem.count({ where: { removedAt: null } });
    expect(text).toContain('apivault_runs{source="dlf",status="succeeded"} 1');
    expect(text).toContain('apivault_runs{source="dlf",status="cancelled"} 1');
    expect(text).toContain('apivault_runs{source="dlf",status="failed"} 1');
    expect(text).toMatch(/apivault_run_duration_seconds_bucket\{source="dlf",le="\+Inf"\} 3/);
    expect(text).toMatch(/apivault_run_duration_seconds_count\{source="dlf"\} 3/);
    expect(text).toContain(`apivault_source_items{source="dlf"} ${items}`);
    expect(text).toMatch(/apivault_source_archived_bytes\{source="dlf"\} [1-9]\d*/);
    expect(text).toMatch(/apivault_vendor_errors_total\{source="dlf",code="HTTP_ERROR",vendor_code="[^"]*"\} 1/);
    expect(text).toMatch(/apivault_source_seconds_since_last_success\{source="dlf",ever_succeeded="true"\} \d/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('manages tokens: shown once, stored hashed, revoked at once', async () => {
    const created = await call('POST', '/api/v1/tokens', { body: { name: 'ci-reader', role: 'viewer' }, secretAnswer: true });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^avt_[A-Za-z0-9_-]{43}$/);
    expect(created.body.prefix).toBe(created.body.token.slice(0, 12));
    const secret: string = created.body.token;
    planted.password += ` ${secret}`; // greped for below, with the other secrets
    expect((await call('GET', '/api/v1/sources', { token: secret })).status).toBe(200);
    expect((await call('POST', '/api/v1/tokens', { body: { name: 'ci-reader', role: 'admin' } })).body.error.code).toBe('TOKEN_NAME_TAKEN');
    expect((await call('POST', '/api/v1/tokens', { body: { role: 'root' } })).body.error.details).toMatchObject({ field: 'role' });
    expect((await call('POST', '/api/v1/tokens', { body: { role: 'viewer', expiresAt: '2001-01-01T00:00:00Z' } })).body.error.details).toMatchObject({ field: 'expiresAt' });

    const row = await t.db.prisma.apiToken.findUnique({ where: { name: 'ci-reader' } });
    expect(row!.tokenHash).toBe(createHash('sha256').update(secret).digest('hex'));
    const list = await call('GET', '/api/v1/tokens');
    expect(list.text).not.toContain(row!.tokenHash);
    expect(list.body.items.map((i: any) => i.name)).toEqual(expect.arrayContaining(['ci-reader', 'test-admin', 'test-viewer']));

    expect((await call('DELETE', '/api/v1/tokens/ci-reader')).body.revokedAt).not.toBeNull();
    expect((await call('GET', '/api/v1/sources', { token: secret })).status).toBe(401);
    expect((await call('GET', '/api/v1/tokens')).body.items.map((i: any) => i.name)).not.toContain('ci-reader');
    expect((await call('GET', '/api/v1/tokens?includeRevoked=true')).body.items.map((i: any) => i.name)).toContain('ci-reader');
  });

  it('rate limits failed authentications per client address, with Retry-After (default 10 a minute)', async () => {
    const database = await target.create();
    const limitedApp = await startTestApp({ database: database.config });
    try {
      const viewer = await limitedApp.createToken('viewer');
      const url = `${limitedApp.url}/api/v1/sources`;
      for (let i = 0; i < 10; i++) expect((await requestFrom('127.0.0.3', url, 'avt_wrong')).status).toBe(401);
      const limited = await requestFrom('127.0.0.3', url, 'avt_wrong');
      expect(limited.status).toBe(429);
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
      // A right guess is refused too while limited: the answer must not tell guesses apart.
      expect((await requestFrom('127.0.0.3', url, viewer)).status).toBe(429);
      expect((await requestFrom('127.0.0.4', url, viewer)).status).toBe(200);
      expect((await requestFrom('127.0.0.3', `${limitedApp.url}/api/v1/health`, 'avt_wrong')).status).toBe(200);
    } finally {
      await limitedApp.close();
      await database.drop();
    }
  });

  it('publishes a valid OpenAPI document that lists every route, and its UI', async () => {
    const answer = await fetch(`${t.url}/docs/openapi.json`);
    expect(answer.status).toBe(200);
    const document = (await answer.json()) as { paths: Record<string, Record<string, unknown>> };
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    const documented = new Set(Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));
    const registered = expressRoutes(t.app).filter((r) => !r.path.startsWith('/docs'));
    expect(registered.length).toBeGreaterThan(30);
    expect(registered.map((r) => `${r.method} ${r.path}`).filter((route) => !documented.has(route))).toEqual([]);
    const search = document.paths['/api/v1/catalog/search']!.get as { parameters: { name: string }[] };
    expect(search.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['q', 'vendor', 'limit', 'cursor']));

    const ui = await fetch(`${t.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  it('records an audit event for every mutating call of this suite', async () => {
    const events: any[] = [];
    let cursor: string | null = null;
    do {
      const page: JsonAnswer<any> = await requestJson('GET', `${t.url}/api/v1/audit?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      events.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const recorded = new Map<string, number>();
    for (const e of events) recorded.set(`${e.method} ${e.path} ${e.status}`, (recorded.get(`${e.method} ${e.path} ${e.status}`) ?? 0) + 1);
    const missing = [];
    for (const call of mutating) {
      const key = `${call.method} ${call.path} ${call.status}`;
      const left = recorded.get(key) ?? 0;
      if (left === 0) missing.push(key);
      else recorded.set(key, left - 1);
    }
    expect(missing).toEqual([]);
    expect(events.find((e) => e.method === 'POST' && e.path === '/api/v1/credentials' && e.status === 201)).toMatchObject({ actor: 'test-admin', role: 'admin', route: '/api/v1/credentials', ip: '127.0.0.1' });
    expect(events.find((e) => e.method === 'DELETE' && e.path === `/api/v1/sources/${UNKNOWN_ID}` && e.status === 403)).toMatchObject({ actor: expect.stringMatching(/^test-(viewer|operator)$/), route: '/api/v1/sources/:id', resourceId: UNKNOWN_ID });
    expect(events.find((e) => e.status === 401)).toMatchObject({ actor: 'anonymous', tokenId: null });
    // A created resource's id comes from the answer, as the path does not name it yet.
    const createdSources = events.filter((e) => e.method === 'POST' && e.path === '/api/v1/sources' && e.status === 201);
    expect(createdSources.map((e) => e.resourceId)).toContain(sourceId);
  });

  it('never shows a credential secret or a token in any answer or log line', async () => {
    const secrets = [planted.vendorSecret, ...planted.password.split(' '), tokens.admin, tokens.operator, tokens.viewer];
    const logs = t.logs.join('');
    expect(logs).toContain('run finished');
    expect(answers.length).toBeGreaterThan(10_000);
    for (const secret of secrets) {
      expect([secret, answers.includes(secret)]).toEqual([secret, false]);
      expect([secret, logs.includes(secret)]).toEqual([secret, false]);
    }
  });
});
