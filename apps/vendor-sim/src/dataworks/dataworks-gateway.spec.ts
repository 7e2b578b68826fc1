import { signAliyunV3Request } from '#cloud-auth';
import { startVendorSim, type VendorSim } from '../vendor-sim.js';
import { DATAWORKS_API_FIELD_ORDER, DATAWORKS_PROJECT_IDS, DATAWORKS_TENANT_ID, type DataWorksApi } from './index.js';
import { callDataWorks, officialCallApi, readAnswer, signedDataWorksRequest } from './test/dataworks-client.js';

const [PROJECT, SECOND_PROJECT] = DATAWORKS_PROJECT_IDS;
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

let sim: VendorSim;
const list = (params: Record<string, string>, options?: Parameters<typeof callDataWorks>[3]) =>
  callDataWorks(sim.baseUrl, sim.aliyunCredentials, { ProjectId: String(PROJECT), ...params }, options);

beforeAll(async () => {
  sim = await startVendorSim({ seed: 11, admin: true });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.faults.clear();
  sim.dataworks.options.singleElementLists = 'object';
  sim.dataworks.options.throttling = { userPerSecond: 100, apiPerSecond: 500 };
});

describe('ListDataServiceApis over HTTP', () => {
  it('answers the JSON envelope with every API field, newest first, 10 per page by default', async () => {
    const answer = await list({});
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(answer.headers.get('x-acs-request-id')).toBe(answer.body.RequestId);
    expect(Object.keys(answer.body)).toEqual(['HttpStatusCode', 'RequestId', 'Success', 'Data']);
    expect(answer.body).toMatchObject({ HttpStatusCode: 200, Success: true, Data: { PageNumber: 1, PageSize: 10, TotalCount: 25 } });
    expect(answer.body.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);

    const apis: DataWorksApi[] = answer.body.Data.Apis;
    const expected = sim.dataworks.list(PROJECT).slice(0, 10);
    expect(apis.map((a) => a.ApiId)).toEqual(expected.map((a) => a.ApiId));
    expect(apis.map((a) => a.ApiId)).toEqual([...apis.map((a) => a.ApiId)].sort((a, b) => b - a));
    for (const api of apis) {
      const details = ['WizardDetails', 'ScriptDetails', 'RegistrationDetails'].filter((name) => name in api);
      expect(details).toHaveLength(1);
      expect(Object.keys(api)).toEqual(DATAWORKS_API_FIELD_ORDER.filter((name) => name in api));
      expect(api.CreatedTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0800$/);
    }
  });

  it('pages with PageNumber and PageSize, up to 100 a page, and answers an empty page past the end', async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const answer = await list({ PageNumber: String(page), PageSize: '10' });
      expect(answer.body.Data).toMatchObject({ PageNumber: page, PageSize: 10, TotalCount: 25 });
      seen.push(...asArray(answer.body.Data.Apis).map((a: DataWorksApi) => a.ApiId));
    }
    expect(seen).toEqual(sim.dataworks.list(PROJECT).map((a) => a.ApiId));
    expect((await list({ PageSize: '100' })).body.Data.Apis).toHaveLength(25);
    expect((await list({ PageNumber: '4', PageSize: '10' })).body.Data).toEqual({ PageNumber: 4, PageSize: 10, TotalCount: 25, Apis: [] });
  });

  it('renders lists of one as a single object, like the vendor sample, unless told to render arrays', async () => {
    const all = sim.dataworks.list(PROJECT);
    const position = all.findIndex((a) => a.Protocols.length === 1);
    const single = all[position];
    const quirky = await list({ PageNumber: String(position + 1), PageSize: '1' });
    expect(Array.isArray(quirky.body.Data.Apis)).toBe(false);
    expect(quirky.body.Data.Apis.ApiId).toBe(single.ApiId);
    expect(quirky.body.Data.Apis.Protocols).toBe(single.Protocols[0]);

    sim.dataworks.options.singleElementLists = 'array';
    const plain = await list({ PageNumber: String(position + 1), PageSize: '1' });
    expect(plain.body.Data.Apis).toEqual([expect.objectContaining({ ApiId: single.ApiId, Protocols: single.Protocols })]);
  });

  it('answers XML with Format=XML: repeated elements for lists, every value as text', async () => {
    const answer = await list({ Format: 'XML', PageSize: '5' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    expect(answer.text.startsWith("<?xml version='1.0' encoding='UTF-8'?><ListDataServiceApisResponse>")).toBe(true);
    const body = answer.body.ListDataServiceApisResponse;
    expect(body).toMatchObject({ HttpStatusCode: '200', Success: 'true', Data: { PageNumber: '1', PageSize: '5', TotalCount: '25' } });
    const apis = asArray(body.Data.Apis);
    expect(apis.map((a: any) => Number(a.ApiId))).toEqual(sim.dataworks.list(PROJECT).slice(0, 5).map((a) => a.ApiId));
    const withBoth = sim.dataworks.list(PROJECT).find((a) => a.Protocols.length === 2);
    if (withBoth) {
      const full = asArray((await list({ Format: 'XML', PageSize: '100' })).body.ListDataServiceApisResponse.Data.Apis);
      expect(full.find((a: any) => Number(a.ApiId) === withBoth.ApiId).Protocols).toEqual(['0', '1']);
    }
  });

  it('escapes text in XML and keeps Chinese characters', async () => {
    const api = sim.dataworks.list(PROJECT)[0];
    sim.dataworks.update(PROJECT, api.ApiId, { Description: '订单 <b> & "quotes"' });
    const answer = await list({ Format: 'XML', PageSize: '1' });
    expect(answer.text).toContain('<Description>订单 &lt;b&gt; &amp; &quot;quotes&quot;</Description>');
    expect(answer.body.ListDataServiceApisResponse.Data.Apis.Description).toBe('订单 <b> & "quotes"');
  });

  it('filters by name and path keyword (case-insensitive substrings) and creator', async () => {
    const all = sim.dataworks.list(PROJECT);
    const target = all[3];
    const nameKeyword = target.ApiName.split('_').slice(1, 3).join('_').toUpperCase();
    const byName = await list({ ApiNameKeyword: nameKeyword, PageSize: '100' });
    const expectedByName = all.filter((a) => a.ApiName.toUpperCase().includes(nameKeyword));
    expect(asArray(byName.body.Data.Apis).map((a: DataWorksApi) => a.ApiId)).toEqual(expectedByName.map((a) => a.ApiId));
    expect(byName.body.Data.TotalCount).toBe(expectedByName.length);

    const byPath = await list({ ApiPathKeyword: target.ApiPath, PageSize: '100' });
    expect(asArray(byPath.body.Data.Apis).map((a: DataWorksApi) => a.ApiId)).toEqual([target.ApiId]);

    const byCreator = await list({ CreatorId: target.CreatorId, PageSize: '100' });
    expect(byCreator.body.Data.TotalCount).toBe(all.filter((a) => a.CreatorId === target.CreatorId).length);
    expect((await list({ CreatorId: 'nobody' })).body.Data).toMatchObject({ TotalCount: 0, Apis: [] });
  });

  it('accepts the right TenantId and refuses another, or an unknown workspace', async () => {
    expect((await list({ TenantId: String(DATAWORKS_TENANT_ID) })).status).toBe(200);
    for (const params of [{ TenantId: '999' }, { ProjectId: '424242' }] as Record<string, string>[]) {
      const answer = await list(params);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ Code: 'Invalid.Tenant.ProjectNotExists' });
    }
  });

  it.each([
    [{ ProjectId: '' }, 'MissingParameter', /"ProjectId"/],
    [{ PageSize: '101' }, 'InvalidParameter', /"PageSize".*1 to 100/],
    [{ PageSize: '0' }, 'InvalidParameter', /"PageSize"/],
    [{ PageNumber: '0' }, 'InvalidParameter', /"PageNumber"/],
    [{ PageNumber: 'x' }, 'InvalidParameter', /"PageNumber"/],
  ])('refuses bad parameters %j with 400 %s', async (params, code, message) => {
    const answer = await list(params);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ Code: code, Message: expect.stringMatching(message) });
    expect(Object.keys(answer.body)).toEqual(['RequestId', 'HostId', 'Code', 'Message', 'Recommend']);
    expect(answer.body.Recommend).toContain(`q=${code}`);
  });

  it('answers 403 Forbidden.Access for a workspace the key may not read', async () => {
    sim.dataworks.setForbidden(SECOND_PROJECT, true);
    try {
      const answer = await list({ ProjectId: String(SECOND_PROJECT) });
      expect(answer.status).toBe(403);
      expect(answer.body.Code).toBe('Forbidden.Access');
    } finally {
      sim.dataworks.setForbidden(SECOND_PROJECT, false);
    }
  });

  it('answers errors in XML when the call asked for XML', async () => {
    const answer = await list({ Format: 'XML', PageSize: '500' });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    expect(answer.body.Error).toMatchObject({ Code: 'InvalidParameter' });
  });

  it('refuses an unknown action or version', async () => {
    expect((await list({}, { action: 'DeleteEverything' })).body).toMatchObject({ Code: 'InvalidAction.NotFound' });
    expect((await list({}, { version: '2024-05-18' })).body).toMatchObject({ Code: 'InvalidVersion' });
  });
});

describe('Alibaba authentication at the gateway', () => {
  it('accepts RPC signatures, GET and POST, with parameters in the query or a form body', async () => {
    expect((await list({}, { signature: 'rpc' })).status).toBe(200);
    expect((await list({}, { signature: 'rpc', method: 'POST' })).status).toBe(200);
    const form = await callDataWorks(sim.baseUrl, sim.aliyunCredentials, {}, { signature: 'rpc', form: { ProjectId: String(PROJECT), PageSize: '3' } });
    expect(form.body.Data).toMatchObject({ PageSize: 3, TotalCount: 25 });
    const v3Form = await callDataWorks(sim.baseUrl, sim.aliyunCredentials, {}, { form: { ProjectId: String(PROJECT), PageSize: '4' } });
    expect(v3Form.body.Data).toMatchObject({ PageSize: 4 });
  });

  it('accepts calls made by the official @alicloud/openapi-client, V3 and RPC', async () => {
    const v3 = await officialCallApi(sim.baseUrl, sim.aliyunCredentials, { ProjectId: String(PROJECT), PageSize: '2' });
    expect(v3.statusCode).toBe(200);
    expect(v3.body.Data).toMatchObject({ PageSize: 2, TotalCount: 25 });
    const rpc = await officialCallApi(sim.baseUrl, sim.aliyunCredentials, { ProjectId: String(PROJECT), PageSize: '3', ApiNameKeyword: "a b*'!" }, { signature: 'rpc' });
    expect(rpc.statusCode).toBe(200);
    expect(rpc.body.Data).toMatchObject({ PageSize: 3 });
    const rpcGet = await officialCallApi(sim.baseUrl, sim.aliyunCredentials, { ProjectId: String(PROJECT) }, { signature: 'rpc', method: 'GET' });
    expect(rpcGet.statusCode).toBe(200);
  });

  it('refuses the official client with a wrong secret, V3 and RPC alike', async () => {
    const wrong = { ...sim.aliyunCredentials, accessKeySecret: 'not-the-secret' };
    for (const signature of ['v3', 'rpc'] as const) {
      await expect(officialCallApi(sim.baseUrl, wrong, { ProjectId: String(PROJECT) }, { signature })).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
        data: expect.objectContaining({ statusCode: 400 }),
      });
    }
  });

  it.each(['v3', 'rpc'] as const)('answers each failure with the vendor code (%s)', async (signature) => {
    const key = sim.aliyunCredentials;
    const unknown = await callDataWorks(sim.baseUrl, { ...key, accessKeyId: 'LTAINOBODY' }, { ProjectId: String(PROJECT) }, { signature });
    expect([unknown.status, unknown.body.Code]).toEqual([404, 'InvalidAccessKeyId.NotFound']);

    const forged = await callDataWorks(sim.baseUrl, { ...key, accessKeySecret: 'wrong' }, { ProjectId: String(PROJECT) }, { signature });
    expect([forged.status, forged.body.Code]).toEqual([400, 'SignatureDoesNotMatch']);

    const stale = await list({}, { signature, now: new Date(Date.now() - 20 * 60_000) });
    expect([stale.status, stale.body.Code]).toEqual([400, 'InvalidTimeStamp.Expired']);

    const nonce = `nonce-${signature}-${Date.now()}`;
    expect((await list({}, { signature, nonce })).status).toBe(200);
    const replay = await list({ PageNumber: '2' }, { signature, nonce });
    expect([replay.status, replay.body.Code]).toEqual([400, 'SignatureNonceUsed']);
  });

  it('refuses a request changed after signing: a query parameter, the body, the Host', async () => {
    const { url, init } = signedDataWorksRequest(sim.baseUrl, sim.aliyunCredentials, { ProjectId: String(PROJECT) });
    const tampered = await readAnswer(await fetch(url.replace(`ProjectId=${PROJECT}`, `ProjectId=${SECOND_PROJECT}`), init));
    expect(tampered.body.Code).toBe('SignatureDoesNotMatch');

    const form = signedDataWorksRequest(sim.baseUrl, sim.aliyunCredentials, {}, { form: { ProjectId: String(PROJECT) } });
    const body = await readAnswer(await fetch(form.url, { ...form.init, body: `ProjectId=${SECOND_PROJECT}` }));
    expect(body.body.Code).toBe('SignatureDoesNotMatch');

    const rpc = signedDataWorksRequest(sim.baseUrl, sim.aliyunCredentials, { ProjectId: String(PROJECT) }, { signature: 'rpc' });
    const rpcTampered = await readAnswer(await fetch(rpc.url.replace('PageSize', 'X').replace(`ProjectId=${PROJECT}`, `ProjectId=${SECOND_PROJECT}`), rpc.init));
    expect(rpcTampered.body.Code).toBe('SignatureDoesNotMatch');

    const url2 = `${sim.baseUrl.replace('127.0.0.1', 'localhost')}/?ProjectId=${PROJECT}`;
    const headers = { 'x-acs-action': 'ListDataServiceApis', 'x-acs-version': '2020-05-18' };
    const signedForOtherHost = signAliyunV3Request({ method: 'GET', url: `${sim.baseUrl}/?ProjectId=${PROJECT}`, headers }, sim.aliyunCredentials);
    const hostChanged = await readAnswer(await fetch(url2, { headers: { ...headers, ...signedForOtherHost } }));
    expect(hostChanged.body.Code).toBe('SignatureDoesNotMatch');
  });

  it('answers IncompleteSignature to an unsigned call', async () => {
    const answer = await readAnswer(await fetch(`${sim.baseUrl}/?Action=ListDataServiceApis&Version=2020-05-18&ProjectId=${PROJECT}`));
    expect([answer.status, answer.body.Code]).toEqual([400, 'IncompleteSignature']);
  });

  it('checks the STS token of temporary keys', async () => {
    const temporary = await startVendorSim({ aliyunAccounts: [{ accessKeyId: 'LTAISTS', accessKeySecret: 'sts-secret', securityToken: 'sts-token' }] });
    try {
      const key = { accessKeyId: 'LTAISTS', accessKeySecret: 'sts-secret' };
      const withToken = await callDataWorks(temporary.baseUrl, { ...key, securityToken: 'sts-token' }, { ProjectId: String(PROJECT) });
      expect(withToken.status).toBe(200);
      for (const signature of ['v3', 'rpc'] as const) {
        const without = await callDataWorks(temporary.baseUrl, key, { ProjectId: String(PROJECT) }, { signature });
        expect(without.body.Code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
      }
    } finally {
      await temporary.close();
    }
  });

  it('leaves the Huawei routes to Huawei authentication', async () => {
    const response = await fetch(`${sim.baseUrl}/v1/${sim.projectId}/connections/export`, { method: 'POST' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error_code: expect.stringMatching(/^APIG\./) });
  });
});

describe('flow control and faults', () => {
  it('answers 429 Throttling.User above the per-key rate, Throttling.Api above the per-action rate, Throttling.System above the total', async () => {
    const burst = async (n: number) => Promise.all(Array.from({ length: n }, () => list({ PageSize: '1' })));
    const codes = (answers: Awaited<ReturnType<typeof burst>>) => answers.filter((a) => a.status === 429).map((a) => a.body.Code);

    sim.dataworks.options.throttling = { userPerSecond: 3 };
    await new Promise((r) => setTimeout(r, 1100));
    const user = await burst(6);
    expect(user.filter((a) => a.status === 200)).toHaveLength(3);
    expect(new Set(codes(user))).toEqual(new Set(['Throttling.User']));

    sim.dataworks.options.throttling = { apiPerSecond: 2, userPerSecond: 100 };
    await new Promise((r) => setTimeout(r, 1100));
    expect(new Set(codes(await burst(4)))).toEqual(new Set(['Throttling.Api']));

    sim.dataworks.options.throttling = { systemPerSecond: 1 };
    await new Promise((r) => setTimeout(r, 1100));
    expect(new Set(codes(await burst(3)))).toEqual(new Set(['Throttling.System']));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await list({})).status).toBe(200);
  });

  it('sends no Retry-After with throttling, like the gateway, unless told to: then the seconds until the window admits again', async () => {
    sim.dataworks.options.throttling = { userPerSecond: 2 };
    await new Promise((r) => setTimeout(r, 1100));
    await list({});
    await list({});
    const silent = await list({});
    expect([silent.status, silent.body.Code, silent.headers.get('retry-after')]).toEqual([429, 'Throttling.User', null]);

    sim.dataworks.options.throttling = { userPerSecond: 2, retryAfter: true };
    const told = await list({ Format: 'XML' });
    expect([told.status, told.headers.get('retry-after')]).toEqual([429, '1']);
    expect(told.text).toContain('<Code>Throttling.User</Code>');
    const logged = sim.requests.at(-1);
    expect(logged).toMatchObject({ vendor: 'dataworks', status: 429, retryAfter: '1' });
    // Waiting what it said is enough: the window has room again.
    await new Promise((r) => setTimeout(r, 1000 * Number(told.headers.get('retry-after'))));
    expect((await list({})).status).toBe(200);
  });

  it('serves injected status faults as Alibaba errors, with Retry-After on 429 and 503', async () => {
    sim.faults.inject('http-429', { route: 'dataworks.list' });
    const throttled = await list({});
    expect([throttled.status, throttled.body.Code, throttled.headers.get('retry-after')]).toEqual([429, 'Throttling.User', '1']);
    sim.faults.inject('http-500', { route: 'dataworks.list' });
    const failed = await list({ Format: 'XML' });
    expect([failed.status, failed.body.Error?.Code]).toEqual([500, 'InternalError.System']);
    expect((await list({})).status).toBe(200);
  });

  it('shifts the pages between two reads on a page-shift fault', async () => {
    const before = sim.dataworks.list(PROJECT).map((a) => a.ApiId);
    sim.faults.inject('page-shift', { route: 'dataworks.list' });
    const first = await list({ PageSize: '10' });
    expect(first.body.Data.TotalCount).toBe(before.length);
    const after = sim.dataworks.list(PROJECT).map((a) => a.ApiId);
    expect(Math.abs(after.length - before.length)).toBe(1);
    const second = await list({ PageNumber: '2', PageSize: '10' });
    expect(second.body.Data.TotalCount).toBe(after.length);
    expect(asArray(second.body.Data.Apis).map((a: DataWorksApi) => a.ApiId)).toEqual(after.slice(10, 20));
    expect(after.slice(10, 20)).not.toEqual(before.slice(10, 20));
  });
});

describe('CreateDataServiceApi', () => {
  const wizard = {
    isPagedResponse: true,
    wizardConnection: { connectionId: 122786, tableName: 'person' },
    wizardRequestParameters: [
      { columnName: 'id', defaultValue: '', exampleValue: '1', isRequiredParameter: true, parameterDataType: 2, parameterDescription: '', parameterName: 'id', parameterOperator: 0, parameterPosition: 1 },
    ],
    wizardResponseParameters: [{ columnName: 'id', exampleValue: '11', parameterDataType: 2, parameterDescription: '', parameterName: 'id' }],
  };
  const create = (signature: 'v3' | 'rpc', extra: Record<string, string> = {}) =>
    callDataWorks(
      sim.baseUrl,
      sim.aliyunCredentials,
      {},
      {
        signature,
        action: 'CreateDataServiceApi',
        form: {
          ProjectId: String(SECOND_PROJECT),
          ApiName: `restored_person_${signature}`,
          GroupId: 'ab12cd34ef',
          ApiMode: '0',
          RequestMethod: '0',
          ResponseContentType: '0',
          Timeout: '10000',
          VisibleRange: '0',
          Protocols: '0,1',
          ApiPath: `/restored/person_${signature}`,
          ApiDescription: '恢复的API',
          WizardDetails: JSON.stringify(wizard),
          ...extra,
        },
      },
    );

  it.each(['v3', 'rpc'] as const)('creates an API that the next listing shows (%s)', async (signature) => {
    const answer = await create(signature);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ HttpStatusCode: 200, Success: true, Data: expect.any(Number) });
    const listed = await list({ ProjectId: String(SECOND_PROJECT), PageSize: '1' }, { signature });
    expect(listed.body.Data.Apis).toMatchObject({
      ApiId: answer.body.Data,
      ApiName: `restored_person_${signature}`,
      Description: '恢复的API',
      Protocols: [0, 1],
      Status: 0,
      CreatorId: '1234567890123456',
      WizardDetails: {
        IsPagedResponse: true,
        WizardConnection: { ConnectionId: 122786, TableName: 'person' },
        WizardRequestParameters: { ParameterName: 'id', ParameterDataType: 2, ParameterPosition: 1, IsRequiredParameter: true },
        WizardResponseParameters: { ParameterName: 'id', ExampleValue: '11' },
      },
    });
  });

  it('refuses a missing parameter, details that do not parse, and a path in use', async () => {
    const missing = await create('v3', { ApiName: '' });
    expect([missing.status, missing.body.Code, missing.body.Message]).toEqual([400, 'MissingParameter', expect.stringContaining('"ApiName"')]);
    const badJson = await create('v3', { ApiName: 'bad_json_api', ApiPath: '/bad/json', WizardDetails: '{"isPagedResponse":' });
    expect([badJson.status, badJson.body.Code, badJson.body.Message]).toEqual([400, 'InvalidParameter', expect.stringContaining('WizardDetails')]);
    const taken = await create('rpc', { ApiName: 'another_name' });
    expect([taken.status, taken.body.Code, taken.body.Message]).toEqual([400, 'InvalidParameter', expect.stringContaining('ApiPath')]);
  });
});

describe('/_sim/dataworks control routes', () => {
  const control = (path: string, init?: RequestInit) =>
    fetch(`${sim.baseUrl}/_sim/dataworks${path}`, { ...init, headers: { 'content-type': 'application/json' } }).then(async (r) => ({
      status: r.status,
      body: (r.status === 204 ? null : await r.json()) as any,
    }));

  it('lists, edits and deletes APIs, adds projects and sets options', async () => {
    const projects = await control('/projects');
    expect(projects.body.projects.map((p: any) => p.projectId)).toEqual(expect.arrayContaining([...DATAWORKS_PROJECT_IDS]));
    const api = sim.dataworks.list(PROJECT)[5];
    const edited = await control(`/projects/${PROJECT}/apis/${api.ApiId}`, { method: 'PATCH', body: JSON.stringify({ Timeout: 12_345 }) });
    expect(edited.body).toMatchObject({ ApiId: api.ApiId, Timeout: 12_345 });
    expect(edited.body.ModifiedTime).not.toBe(api.ModifiedTime);
    expect((await control(`/projects/${PROJECT}/apis/${api.ApiId}`, { method: 'PATCH', body: JSON.stringify({ Timeout: 0 }) })).status).toBe(400);
    expect((await control(`/projects/${PROJECT}/apis/${api.ApiId}`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.dataworks.get(PROJECT, api.ApiId)).toBeUndefined();
    expect((await control('/projects', { method: 'POST', body: JSON.stringify({ projectId: 10_003 }) })).status).toBe(201);
    expect((await list({ ProjectId: '10003' })).body.Data).toMatchObject({ TotalCount: 0, Apis: [] });
    const options = await control('/options', { method: 'PATCH', body: JSON.stringify({ singleElementLists: 'array', throttling: { userPerSecond: null, retryAfter: true } }) });
    expect(options.body).toEqual({ singleElementLists: 'array', throttling: { apiPerSecond: 500, retryAfter: true } });
    expect((await control('/options', { method: 'PATCH', body: JSON.stringify({ throttling: { retryAfter: 'yes' } }) })).status).toBe(400);
    expect(sim.estate().vendors.dataworks).toEqual({ apis: sim.dataworks.count(), projects: 3 });
  });
});
