import ExcelJS from 'exceljs';
import { startVendorSim, SECONDARY_DLF_WORKSPACE, DEFAULT_DLF_WORKSPACE, type VendorSim } from '../vendor-sim.js';
import { API_TYPES, type DataServiceApi } from './dataservice-api.js';
import { APIS_PER_WORKBOOK, headerOf, sheetColumns, SHEET_NAMES } from './workbook-layout.js';
import { exportedIds, exportZip, sheetsOf, zipOf } from './test/dataservice-client.js';

const WS = DEFAULT_DLF_WORKSPACE;

describe('DataService export over HTTP', () => {
  let sim: VendorSim;

  beforeAll(async () => {
    // No export window here: the limit has its own suite below.
    sim = await startVendorSim({ seed: 11, dataService: { exportWindowMs: 0 } });
  });
  afterAll(() => sim.close());
  afterEach(() => {
    sim.dataService.locale = 'en';
    sim.faults.clear();
  });

  it('answers a zip of workbooks holding every API of the workspace edition, one sheet per type, headers in row 1', async () => {
    const response = await exportZip(sim, { workspace: WS, dlmType: 'EXCLUSIVE' });
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="DataService_APIs.zip"');
    const zip = await zipOf(response);
    expect(Object.keys(zip)).toEqual(['DataService_APIs_001.xlsx']);

    const { sheets } = await sheetsOf(zip['DataService_APIs_001.xlsx']);
    const expected = sim.dataService.list(WS, 'EXCLUSIVE');
    expect(expected).toHaveLength(24);
    // Every API type of the exclusive edition is seeded at scale 1, each on its own sheet.
    expect(sheets.map((s) => s.name)).toEqual(API_TYPES.map((type) => SHEET_NAMES[type].en));
    for (const sheet of sheets) {
      const type = API_TYPES.find((t) => SHEET_NAMES[t].en === sheet.name)!;
      expect(sheet.header).toEqual(sheetColumns(type).map((c) => headerOf(c, 'en')));
      expect(sheet.rows.map((r) => r['API ID'])).toEqual(expected.filter((api) => api.api_type === type).map((api) => api.id));
      expect(sheet.rows.every((r) => r['API Type'] === type)).toBe(true);
    }
  });

  it('writes each field where the layout says, JSON for nested lists', async () => {
    const zip = await zipOf(await exportZip(sim, { workspace: WS, dlmType: 'EXCLUSIVE' }));
    const { sheets } = await sheetsOf(zip['DataService_APIs_001.xlsx']);
    const registered = sim.dataService.list(WS, 'EXCLUSIVE').find((api) => api.api_type === 'API_SPECIFIC_TYPE_REGISTER')!;
    const row = sheets.find((s) => s.name === 'Registered APIs')!.rows.find((r) => r['API ID'] === registered.id)!;
    expect(row).toMatchObject({
      'API Name': registered.name,
      Path: registered.path,
      Protocol: registered.protocol,
      'Request Method': registered.request_type,
      Authentication: registered.auth_type,
      'Access Log': registered.log_flag,
      'Backend Host': registered.backend_config!.host,
      'Backend Timeout (ms)': registered.backend_config!.timeout,
      Creator: registered.create_user,
    });
    expect(JSON.parse(String(row['Constant Parameters']))).toEqual(registered.backend_config!.constant_paras);
    expect(Date.parse(String(row.Created))).toBe(registered.create_time);
    expect(String(row.Created)).toMatch(/\+08:00$/);

    const configured = sim.dataService.list(WS, 'EXCLUSIVE').find((api) => api.api_type === 'API_SPECIFIC_TYPE_CONFIGURATION')!;
    const configRow = sheets.find((s) => s.name === 'Configuration APIs')!.rows.find((r) => r['API ID'] === configured.id)!;
    expect(configRow['Data Table']).toBe(configured.datasource_config!.datatable);
    expect(configRow['Request Parameters'] === null ? [] : JSON.parse(String(configRow['Request Parameters']))).toEqual(configured.request_paras);
  });

  it('writes Chinese sheet names and headers when the locale is zh', async () => {
    sim.dataService.locale = 'zh';
    const zip = await zipOf(await exportZip(sim, { workspace: WS, dlmType: 'EXCLUSIVE' }));
    const { sheets } = await sheetsOf(zip['DataService_APIs_001.xlsx']);
    expect(sheets.map((s) => s.name)).toEqual(API_TYPES.map((type) => SHEET_NAMES[type].zh));
    expect(sheets[0].header.slice(0, 3)).toEqual(['API编号', 'API名称', 'API类型']);
    expect(sheets[0].header).toContain('创建时间');
    expect(await exportedIds(zip, 'API编号')).toEqual(sim.dataService.list(WS, 'EXCLUSIVE').map((a) => a.id).sort());
  });

  it('keeps the editions apart: Dlm-Type absent means SHARED', async () => {
    const shared = sim.dataService.list(WS, 'SHARED').map((a) => a.id).sort();
    expect(shared).toHaveLength(6);
    expect(await exportedIds(await zipOf(await exportZip(sim, { workspace: WS })))).toEqual(shared);
    expect(await exportedIds(await zipOf(await exportZip(sim, { workspace: WS, dlmType: 'SHARED' })))).toEqual(shared);
    const secondary = sim.dataService.list(SECONDARY_DLF_WORKSPACE, 'EXCLUSIVE').map((a) => a.id).sort();
    expect(await exportedIds(await zipOf(await exportZip(sim, { workspace: SECONDARY_DLF_WORKSPACE, dlmType: 'EXCLUSIVE' })))).toEqual(secondary);
    expect(new Set([...shared, ...secondary]).size).toBe(shared.length + secondary.length);
  });

  it('stamps the export time on the workbooks and the zip entries', async () => {
    const at = new Date('2026-02-03T04:05:06Z');
    const timed = await startVendorSim({ seed: 11, clock: at, dataService: { exportWindowMs: 0 } });
    try {
      const response = await exportZip(timed, { workspace: WS });
      const bytes = Buffer.from(await response.arrayBuffer());
      const { unzipSync } = await import('fflate');
      const [name] = Object.keys(unzipSync(bytes));
      const workbook = await sheetsOf(unzipSync(bytes)[name]);
      expect(workbook.created.toISOString()).toBe('2026-02-03T04:05:06.000Z');
      expect(workbook.modified.toISOString()).toBe('2026-02-03T04:05:06.000Z');
      // Local header of the first entry: DOS time and date at offsets 10 and 12 (UTC fields).
      expect(bytes.readUInt16LE(10)).toBe((4 << 11) | (5 << 5) | 3);
      expect(bytes.readUInt16LE(12)).toBe(((2026 - 1980) << 9) | (2 << 5) | 3);
      // Same estate, same time: byte-identical, even when served from the render cache.
      const again = Buffer.from(await (await exportZip(timed, { workspace: WS })).arrayBuffer());
      expect(again.equals(bytes)).toBe(true);
    } finally {
      await timed.close();
    }
  });

  it('splits the export into workbooks of at most 200 APIs', async () => {
    const big = await startVendorSim({ seed: 3, scale: 10, dataService: { exportWindowMs: 0 } });
    try {
      const all = big.dataService.list(WS, 'EXCLUSIVE');
      expect(all).toHaveLength(240);
      const zip = await zipOf(await exportZip(big, { workspace: WS, dlmType: 'EXCLUSIVE' }));
      expect(Object.keys(zip)).toEqual(['DataService_APIs_001.xlsx', 'DataService_APIs_002.xlsx']);
      const first = await exportedIds({ a: zip['DataService_APIs_001.xlsx'] });
      const second = await exportedIds({ b: zip['DataService_APIs_002.xlsx'] });
      expect([first.length, second.length]).toEqual([APIS_PER_WORKBOOK, 40]);
      expect([...first, ...second].sort()).toEqual(all.map((a) => a.id).sort());
    } finally {
      await big.close();
    }
  });

  describe('filters', () => {
    const all = () => sim.dataService.list(WS, 'EXCLUSIVE');
    const idsWhere = (keep: (api: DataServiceApi) => boolean) => all().filter(keep).map((api) => api.id).sort();
    const exported = async (body: unknown) => exportedIds(await zipOf(await exportZip(sim, { workspace: WS, dlmType: 'EXCLUSIVE', body })));

    it.each<[string, () => unknown, (api: DataServiceApi) => boolean]>([
      ['name (fuzzy, any case)', () => ({ name: all()[0].name.slice(2, 9).toUpperCase() }), (api) => api.name.toLowerCase().includes(all()[0].name.slice(2, 9).toLowerCase())],
      ['create_user', () => ({ create_user: all()[1].create_user }), (api) => api.create_user === all()[1].create_user],
      ['description', () => ({ description: '订单' }), (api) => api.description.includes('订单')],
      ['tags (all of them)', () => ({ tags: all().find((a) => a.tags.length > 0)!.tags.slice(0, 1) }), (api) => api.tags.includes(all().find((a) => a.tags.length > 0)!.tags[0])],
      [
        'table_name',
        () => ({ table_name: all().find((a) => a.datasource_config)!.datasource_config!.datatable.toUpperCase() }),
        (api) => [api.datasource_config, ...api.datasource_config_list].some((c) => c?.datatable === all().find((a) => a.datasource_config)!.datasource_config!.datatable),
      ],
      ['publish_status_type PUBLISHED', () => ({ publish_status_type: 'PUBLISHED' }), (api) => api.status === 'API_STATUS_PUBLISHED'],
      ['publish_status_type NOT_PUBLISHED', () => ({ publish_status_type: 'NOT_PUBLISHED' }), (api) => api.status !== 'API_STATUS_PUBLISHED'],
      ['api_specific_type_str', () => ({ api_specific_type_str: 'API_SPECIFIC_TYPE_MYBATIS' }), (api) => api.api_type === 'API_SPECIFIC_TYPE_MYBATIS'],
      ['start_time', () => ({ start_time: '2024-01-01T00:00:00.000Z' }), (api) => api.create_time >= Date.UTC(2024, 0, 1)],
      ['end_time (inclusive, any offset)', () => ({ end_time: '2024-06-30T23:59:59+08:00' }), (api) => api.create_time <= Date.parse('2024-06-30T23:59:59+08:00')],
      ['authorization_status_type', () => ({ authorization_status_type: 'AUTHORIZED' }), (api) => api.authorization_status === 'AUTHORIZED'],
      [
        'several at once (AND)',
        () => ({ publish_status_type: 'PUBLISHED', start_time: '2024-01-01T00:00:00Z', tags: [] }),
        (api) => api.status === 'API_STATUS_PUBLISHED' && api.create_time >= Date.UTC(2024, 0, 1),
      ],
    ])('%s', async (_name, body, keep) => {
      const expected = idsWhere(keep);
      // The seeded estate must make the filter meaningful: it keeps some APIs and drops others.
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all().length);
      expect(await exported(body())).toEqual(expected);
    });

    it('answers an empty zip when nothing matches', async () => {
      const response = await exportZip(sim, { workspace: WS, dlmType: 'EXCLUSIVE', body: { name: 'no-such-api-anywhere' } });
      expect(Object.keys(await zipOf(response))).toEqual([]);
    });

    it('finds APIs edited after seeding', async () => {
      const target = all()[2];
      sim.dataService.upsert({ ...target, tags: [...target.tags, 'freshly-tagged'] }, WS, 'EXCLUSIVE');
      expect(await exported({ tags: ['freshly-tagged'] })).toEqual([target.id]);
      sim.dataService.upsert(target, WS, 'EXCLUSIVE');
    });
  });

  describe('errors', () => {
    const huaweiError = async (response: Response): Promise<Record<string, unknown>> => ({ status: response.status, ...((await response.json()) as object) });

    it.each([
      ['no workspace header', {}, 400, 'DLS.1000'],
      ['an unknown workspace', { workspace: 'ffffffffffffffffffffffffffffffff' }, 400, 'DLS.1000'],
      ['a bad Dlm-Type', { workspace: WS, dlmType: 'PRIVATE' }, 400, 'DLS.1001'],
      ['a body that is not JSON', { workspace: WS, body: 'name=x' }, 400, 'DLS.1001'],
      ['a bad enum value', { workspace: WS, body: { publish_status_type: 'MAYBE' } }, 400, 'DLS.1001'],
      ['an unfilterable API type', { workspace: WS, body: { api_specific_type_str: 'API_SPECIFIC_TYPE_REGISTER' } }, 400, 'DLS.1001'],
      ['a time without zone', { workspace: WS, body: { start_time: '2024-01-01 00:00:00' } }, 400, 'DLS.1001'],
      ['tags that are not a list', { workspace: WS, body: { tags: 'core' } }, 400, 'DLS.1001'],
      ['another project', { workspace: WS, projectId: '0'.repeat(32) }, 404, 'APIG.0101'],
    ])('refuses %s with a Huawei error body', async (_name, call, status, code) => {
      const body = await huaweiError(await exportZip(sim, call));
      expect(body).toMatchObject({ status, error_code: code });
      expect(typeof body.error_msg).toBe('string');
      expect(body.request_id).toMatch(/^[0-9a-f]{32}$/);
    });

    it('refuses a wrong signature like the gateway', async () => {
      const body = await huaweiError(await exportZip(sim, { workspace: WS, credentials: { ...sim.credentials, secretAccessKey: 'wrong' } }));
      expect(body).toMatchObject({ status: 401, error_code: 'APIG.0301' });
    });
  });

  describe('faults (route dataservice.export)', () => {
    it('serves a zip whose last workbook is not a valid xlsx (corrupt-workbook)', async () => {
      sim.faults.inject('corrupt-workbook', { route: 'dataservice.export' });
      const zip = await zipOf(await exportZip(sim, { workspace: WS, dlmType: 'EXCLUSIVE' }));
      expect(Object.keys(zip)).toEqual(['DataService_APIs_001.xlsx']);
      await expect(new ExcelJS.Workbook().xlsx.load(Buffer.from(zip['DataService_APIs_001.xlsx']) as unknown as ArrayBuffer)).rejects.toThrow();
      // One call only: the next export is healthy again.
      expect(await exportedIds(await zipOf(await exportZip(sim, { workspace: WS, dlmType: 'EXCLUSIVE' })))).toHaveLength(24);
    });

    it('serves the generic faults through the framework (http-503 with Retry-After)', async () => {
      sim.faults.inject('http-503', { route: 'dataservice.export' });
      const response = await exportZip(sim, { workspace: WS });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
    });
  });
});

describe('DataService one export per minute per workspace', () => {
  let sim: VendorSim;

  beforeAll(async () => {
    sim = await startVendorSim({ seed: 5, dataService: { exportWindowMs: 300 } });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.dataService.exportLimiter.reset();
    sim.dataService.retryAfter = true;
  });

  it('answers 429 DLS.1029 with Retry-After to a second export of the workspace inside the window', async () => {
    expect((await exportZip(sim, { workspace: WS })).status).toBe(200);
    const second = await exportZip(sim, { workspace: WS, dlmType: 'EXCLUSIVE' });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(await second.json()).toMatchObject({ error_code: 'DLS.1029' });
    // Another workspace has its own window.
    expect((await exportZip(sim, { workspace: SECONDARY_DLF_WORKSPACE })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 320));
    expect((await exportZip(sim, { workspace: WS })).status).toBe(200);
  });

  it('leaves Retry-After out when told to', async () => {
    sim.dataService.retryAfter = false;
    expect((await exportZip(sim, { workspace: WS })).status).toBe(200);
    const second = await exportZip(sim, { workspace: WS });
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, null]);
  });

  it('does not count refused calls (a bad filter does not start the window)', async () => {
    expect((await exportZip(sim, { workspace: WS, body: { publish_status_type: 'MAYBE' } })).status).toBe(400);
    expect((await exportZip(sim, { workspace: WS })).status).toBe(200);
  });

  it('checks the window before faults, so a queued fault waits for an admitted export', async () => {
    expect((await exportZip(sim, { workspace: WS })).status).toBe(200);
    sim.faults.inject('http-500', { route: 'dataservice.export' });
    expect((await exportZip(sim, { workspace: WS })).status).toBe(429);
    sim.dataService.exportLimiter.reset();
    expect((await exportZip(sim, { workspace: WS })).status).toBe(500);
  });
});
