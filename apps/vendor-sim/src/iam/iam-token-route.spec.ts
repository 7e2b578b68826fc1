import { setTimeout as sleep } from 'node:timers/promises';
import { exportCall, iamLogin } from '../roma/test/roma-client.js';
import { startVendorSim, type VendorSim } from '../vendor-sim.js';

const IAM_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('vendor-sim IAM POST /v3/auth/tokens', () => {
  let sim: VendorSim;
  beforeAll(async () => {
    sim = await startVendorSim({ seed: 42, admin: true, iam: { users: [{ domainName: 'acme', userName: 'backup', password: 'Pa55-w0rd:with/colons' }] } });
  });
  afterAll(() => sim.close());

  it('issues a 24 h project-scoped token in X-Subject-Token, and the gateway accepts it as X-Auth-Token', async () => {
    const response = await iamLogin(sim);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const token = response.headers.get('x-subject-token');
    expect(token).toMatch(/^MII/);
    const { token: body } = (await response.json()) as { token: Record<string, any> };
    expect(body.expires_at).toMatch(IAM_TIME);
    expect(body.issued_at).toMatch(IAM_TIME);
    expect(Date.parse(body.expires_at) - Date.parse(body.issued_at)).toBe(24 * 3600 * 1000);
    expect(body).toMatchObject({ methods: ['password'], project: { id: sim.projectId, name: sim.projectName }, user: { name: 'backup', domain: { name: 'acme' } } });
    expect(body.catalog).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain(token);

    expect((await exportCall(sim, {}, { token: token! })).status).toBe(200);
  });

  it('scopes by project id too, and lists a catalog unless nocatalog is given', async () => {
    const [user] = sim.iam.users();
    const response = await fetch(`${sim.baseUrl}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: user.userName, password: user.password, domain: { name: user.domainName } } } },
          scope: { project: { id: sim.projectId } },
        },
      }),
    });
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as { token: { catalog: { type: string; endpoints: { url: string }[] }[] } };
    expect(token.catalog.find((service) => service.type === 'roma')?.endpoints[0].url).toBe(sim.baseUrl);
  });

  it.each([
    ['a wrong password', { password: 'nope' }, 401, 'The username or password is wrong.'],
    ['another project', { project: { name: 'ap-southeast-1' } }, 401, 'The request you have made requires authentication.'],
    ['another project id', { project: { id: '0'.repeat(32) } }, 401, 'The request you have made requires authentication.'],
  ])('refuses %s with a Keystone-style error', async (_, overrides, status, message) => {
    const response = await iamLogin(sim, overrides);
    expect(response.status).toBe(status);
    expect(response.headers.get('x-subject-token')).toBeNull();
    expect(await response.json()).toEqual({ error: { code: status, message, title: 'Unauthorized' } });
  });

  it.each([
    ['not JSON', '{"auth":'],
    ['no password method', JSON.stringify({ auth: { identity: { methods: ['token'] } } })],
    ['no scope', JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'backup', password: 'x', domain: { name: 'acme' } } } } } })],
  ])('answers 400 to a body with %s', async (_, body) => {
    const response = await fetch(`${sim.baseUrl}/v3/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 400, title: 'Bad Request' } });
  });

  it('lets a token expire (then 401 APIG.0301), and revokes every token on request', async () => {
    const shortLived = await startVendorSim({ seed: 42, admin: true, iam: { tokenValiditySeconds: 0.3 } });
    try {
      const response = await iamLogin(shortLived);
      const token = response.headers.get('x-subject-token')!;
      const { token: body } = (await response.json()) as { token: { expires_at: string; issued_at: string } };
      expect(Date.parse(body.expires_at) - Date.parse(body.issued_at)).toBe(300);
      expect((await exportCall(shortLived, {}, { token })).status).toBe(200);
      await sleep(350);
      const expired = await exportCall(shortLived, {}, { token });
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ error_code: 'APIG.0301', error_msg: expect.stringMatching(/expired/) });

      const fresh = (await iamLogin(shortLived)).headers.get('x-subject-token')!;
      const validity = await fetch(`${shortLived.baseUrl}/_sim/iam/token-validity`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"seconds":3600}' });
      expect(validity.status).toBe(204);
      const lasting = (await iamLogin(shortLived)).headers.get('x-subject-token')!;
      expect((await exportCall(shortLived, {}, { token: lasting })).status).toBe(200);
      const revoked = (await (await fetch(`${shortLived.baseUrl}/_sim/iam/tokens`, { method: 'DELETE' })).json()) as { revoked: number };
      expect(revoked.revoked).toBeGreaterThanOrEqual(2);
      expect((await exportCall(shortLived, {}, { token: lasting })).status).toBe(401);
      expect((await exportCall(shortLived, {}, { token: fresh })).status).toBe(401);
      expect(shortLived.iam.issuedCount).toBe(3);
    } finally {
      await shortLived.close();
    }
  });

  it('serves injected faults on the login route', async () => {
    sim.faults.inject('http-503', { route: 'iam.tokens' });
    const response = await iamLogin(sim);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ error: { code: 503 } });
    expect((await iamLogin(sim)).status).toBe(201);
  });
});
