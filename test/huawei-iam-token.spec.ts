import { setTimeout as sleep } from 'node:timers/promises';
import {
  huaweiRequestAuthorizer,
  IamLoginError,
  IamTokenProvider,
  LOGIN_REFUSAL_MEMORY_MS,
  loginWithPassword,
  type HuaweiPasswordCredential,
} from '#cloud-auth';
import { huaweiCallAuthorizer, VendorCallError, VendorHttpClient } from '#connectors';
import { startVendorSim, type VendorSim } from '#vendor-sim';

/**
 * IAM password credentials end to end: the token provider against vendor-sim's IAM over real
 * HTTP, and the token it hands out used on a real vendor call (ROMA's app listing).
 */
describe('IAM password tokens (cloud-auth against vendor-sim)', () => {
  let sim: VendorSim;
  let credential: HuaweiPasswordCredential;

  const logins = () => sim.requests.filter((r) => r.path === '/v3/auth/tokens').length;
  const appsUrl = () => `${sim.baseUrl}/v2/${sim.projectId}/apic/instances/${sim.roma.instanceId}/apps`;
  const callWith = (token: string) => fetch(appsUrl(), { headers: { 'X-Auth-Token': token } });

  beforeEach(async () => {
    sim = await startVendorSim({ seed: 3, iam: { tokenValiditySeconds: 10 } });
    const [user] = sim.iam.users();
    credential = { type: 'huawei-password', iamEndpoint: sim.baseUrl, domainName: user.domainName, userName: user.userName, password: user.password, projectName: sim.projectName };
  });
  afterEach(() => sim.close());

  it('logs in once and serves the cached token until it is due for renewal', async () => {
    const provider = new IamTokenProvider();
    const first = await provider.token(credential);
    expect(first).toMatch(/^MII/);
    expect(await provider.token(credential)).toBe(first);
    expect(await provider.token({ ...credential, iamEndpoint: `${sim.baseUrl}/` })).toBe(first);
    expect(logins()).toBe(1);
    expect((await callWith(first)).status).toBe(200);
  });

  it('renews before expiry: at 90 % of the lifetime (10 s token) the next caller gets a new token', async () => {
    let shift = 0;
    const provider = new IamTokenProvider({ now: () => Date.now() + shift });
    const first = await provider.token(credential);
    shift = 8_500;
    expect(await provider.token(credential)).toBe(first);
    shift = 9_100;
    const renewed = await provider.token(credential);
    expect(renewed).not.toBe(first);
    expect(logins()).toBe(2);
    // Renewed while the old one was still good: both work at the vendor.
    expect((await callWith(first)).status).toBe(200);
    expect((await callWith(renewed)).status).toBe(200);
  });

  it('never hands out a token the vendor has expired (real clock, 1 s tokens)', async () => {
    sim.iam.tokenValiditySeconds = 1;
    const provider = new IamTokenProvider();
    const first = await provider.token(credential);
    await sleep(1_050);
    expect((await callWith(first)).status).toBe(401);
    const next = await provider.token(credential);
    expect(next).not.toBe(first);
    expect((await callWith(next)).status).toBe(200);
  });

  it('shares one login between concurrent callers', async () => {
    const provider = new IamTokenProvider();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => provider.token(credential)));
    expect(new Set(tokens).size).toBe(1);
    expect(logins()).toBe(1);
    expect(sim.iam.issuedCount).toBe(1);
  });

  it('logs in again once after a 401 (the authorizer renews), and a stale renewal keeps the new token', async () => {
    const provider = new IamTokenProvider();
    const authorize = huaweiRequestAuthorizer(credential, { tokenProvider: provider });
    const request = { method: 'GET', url: appsUrl(), headers: {} };
    const first = (await authorize(request))['X-Auth-Token'];
    expect((await callWith(first)).status).toBe(200);

    sim.iam.revokeAll();
    expect((await callWith(first)).status).toBe(401);
    await authorize.renew!();
    const second = (await authorize(request))['X-Auth-Token'];
    expect(second).not.toBe(first);
    expect((await callWith(second)).status).toBe(200);
    expect(logins()).toBe(2);

    // Another caller that also saw the 401 on the first token must not throw the new one away.
    provider.invalidate(credential, first);
    expect(await provider.token(credential)).toBe(second);
    expect(logins()).toBe(2);
  });

  it('retries a vendor call once with a new token when the old one was revoked (VendorHttpClient)', async () => {
    const provider = new IamTokenProvider();
    const client = new VendorHttpClient({ authorize: huaweiCallAuthorizer(credential, { tokenProvider: provider }) });
    const call = { call: 'GET /v2/{project_id}/apic/instances/{instance_id}/apps', method: 'GET', url: appsUrl(), expect: 'json' as const };
    expect((await client.fetchBuffered(call)).status).toBe(200);
    sim.iam.revokeAll();
    expect((await client.fetchBuffered(call)).status).toBe(200);
    expect(logins()).toBe(2);
    expect(sim.requests.filter((r) => r.path.endsWith('/apps')).map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('reports a refused password without the password, and does not send it again for a while', async () => {
    let now = Date.now();
    const provider = new IamTokenProvider({ now: () => now });
    const wrong = { ...credential, password: 'Wrong-Passw0rd-123' };
    const error = (await provider.token(wrong).catch((e: unknown) => e)) as IamLoginError;
    expect(error).toBeInstanceOf(IamLoginError);
    expect(error).toMatchObject({ status: 401, retryable: false, call: 'POST /v3/auth/tokens', vendorCode: '401' });
    expect(error.message).toContain(`user "${credential.userName}" of domain "${credential.domainName}"`);
    expect(error.message).toContain('The username or password is wrong.');
    expect(error.message).not.toContain('Wrong-Passw0rd-123');

    await expect(provider.token(wrong)).rejects.toThrow(/refused less than 60 s ago/);
    expect(logins()).toBe(1);
    now += LOGIN_REFUSAL_MEMORY_MS + 1;
    await expect(provider.token(wrong)).rejects.toBeInstanceOf(IamLoginError);
    expect(logins()).toBe(2);
    // The right password is another cache entry: it is not held back by the refusal.
    expect(await provider.token(credential)).toMatch(/^MII/);
  });

  it('turns a refused login into a VendorCallError naming the IAM call, and logs in only once for it', async () => {
    const client = new VendorHttpClient({
      authorize: huaweiCallAuthorizer({ ...credential, password: 'nope-nope-nope' }, { tokenProvider: new IamTokenProvider() }),
    });
    const error = await client
      .fetchBuffered({ call: 'GET /v2/{project_id}/apic/instances/{instance_id}/apps', method: 'GET', url: appsUrl(), expect: 'json' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorCallError);
    expect((error as VendorCallError).toDetails()).toMatchObject({ stage: 'fetch', code: 'HTTP_ERROR', call: 'POST /v3/auth/tokens', status: 401 });
    expect(logins()).toBe(1);
    expect(sim.requests.filter((r) => r.path.endsWith('/apps'))).toEqual([]);
  });

  it('keeps using a still-valid token when IAM fails at renewal time, and retries later', async () => {
    let shift = 0;
    const provider = new IamTokenProvider({ now: () => Date.now() + shift });
    const first = await provider.token(credential);
    shift = 9_500;
    sim.faults.inject('http-503', { route: 'iam.tokens' });
    expect(await provider.token(credential)).toBe(first);
    expect(await provider.token(credential)).toBe(first);
    expect(logins()).toBe(2);
    // Past its expiry the old token is no fallback: IAM's failure shows.
    shift = 10_100;
    sim.faults.inject('http-503', { route: 'iam.tokens' });
    await expect(provider.token(credential)).rejects.toMatchObject({ status: 503, retryable: true });
  });

  it('scopes by project id as well as by name', async () => {
    const { projectName: _, ...rest } = credential;
    const token = await loginWithPassword({ ...rest, projectId: sim.projectId });
    expect(token.validityMs).toBe(10_000);
    expect(token.expiresAt.getTime() - token.issuedAt.getTime()).toBe(10_000);
    expect((await callWith(token.value)).status).toBe(200);
  });
});
