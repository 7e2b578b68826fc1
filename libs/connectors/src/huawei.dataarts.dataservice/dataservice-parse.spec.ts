import { strToU8, unzipSync, zipSync } from 'fflate';
import type { ApiDocument, CatalogEntry } from '#catalog-model';
import { ArtifactFormatError } from '../errors.js';
import { writeFile } from 'node:fs/promises';
import { TempFiles, withDeclaredUncompressedSize, zipOf } from '../test/zip-fixtures.js';
import { DataServiceConnector } from './dataservice-connector.js';
import type { DataServiceConfig } from './dataservice-config.js';
import { artifactOf, streamedXlsxOf, testContext, xlsxOf } from './test/dataservice-fixtures.js';

const connector = new DataServiceConnector();
const temp = new TempFiles();
afterAll(() => temp.cleanup());

const config = (overrides: Record<string, unknown> = {}): DataServiceConfig =>
  connector.validateConfig({ endpoint: 'https://dayu.cn-north-4.myhuaweicloud.com', projectId: 'p0123', workspace: 'ws-1', ...overrides });

async function parse(entries: Parameters<typeof artifactOf>[1], ctx = testContext().ctx): Promise<CatalogEntry[]> {
  const out: CatalogEntry[] = [];
  for await (const entry of connector.parse(await artifactOf(temp, entries), config(), ctx)) out.push(entry);
  return out;
}

async function parseError(entries: Parameters<typeof artifactOf>[1]): Promise<ArtifactFormatError> {
  const error = await parse(entries).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArtifactFormatError);
  return error as ArtifactFormatError;
}

const SCRIPT_HEADER = [
  'API ID', 'API Name', 'API Type', 'Catalog', 'Description', 'Protocol', 'Request Method', 'Path', 'Authentication', 'Visibility', 'Tags',
  'Reviewer', 'Access Log', 'Request Parameters', 'Data Source Type', 'Data Connection', 'Data Connection ID', 'Database', 'Data Table',
  'SQL', 'Response Parameters', 'Publish Status', 'Authorization Status', 'Creator', 'Created', 'Updated',
];
const requestParas = [
  { name: 'region', position: 'REQUEST_PARAMETER_POSITION_QUERY', type: 'REQUEST_PARAMETER_TYPE_STRING', description: 'Region', necessary: true, example_value: 'east', default_value: '', support_null: false },
  { name: 'id', position: 'REQUEST_PARAMETER_POSITION_PATH', type: 'REQUEST_PARAMETER_TYPE_NUMBER', description: '', necessary: true, example_value: '', default_value: '', support_null: false },
];
const scriptRow = [
  'a'.repeat(32), 'query_sales_orders', 'API_SPECIFIC_TYPE_SCRIPT', '/sales', '按日期查询订单', 'PROTOCOL_TYPE_HTTPS', 'REQUEST_TYPE_POST', '/sales/orders/{id}',
  'APP', 'WORKSPACE', 'report,core', 'reviewer_zhao', true, JSON.stringify(requestParas), 'DWS', 'dws_sales_conn', 'c'.repeat(32), 'dws', 't_order',
  'SELECT id FROM t_order WHERE region = ${region}', JSON.stringify([{ name: 'id', field: 'order_id', type: 'REQUEST_PARAMETER_TYPE_NUMBER', description: '', example_value: '' }]),
  'API_STATUS_PUBLISHED', 'AUTHORIZED', 'dev_li', '2024-03-01T16:15:30.000+08:00', '2024-05-02T09:00:00.000+08:00',
];

const expectedScriptDocument: ApiDocument = {
  vendor: 'huawei',
  service: 'dataarts.dataservice',
  name: 'query_sales_orders',
  method: 'POST',
  path: '/sales/orders/{id}',
  protocols: ['https'],
  description: '按日期查询订单',
  tags: ['core', 'report'],
  status: 'published',
  authType: 'app',
  group: '/sales',
  parameters: [
    { name: 'id', location: 'path', type: 'number', required: true, default: null, example: null, description: null },
    { name: 'region', location: 'query', type: 'string', required: true, default: null, example: 'east', description: 'Region' },
  ],
  responseFields: [{ name: 'id', type: 'number', description: null, example: null }],
  backend: { type: 'datasource', datasourceType: 'DWS', connection: 'dws_sales_conn', database: 'dws', table: 't_order', sql: 'SELECT id FROM t_order WHERE region = ${region}' },
  owner: 'dev_li',
  createdAt: '2024-03-01T08:15:30.000Z',
  updatedAt: '2024-05-02T01:00:00.000Z',
  vendorExtras: {
    api_type: 'API_SPECIFIC_TYPE_SCRIPT',
    visibility: 'WORKSPACE',
    manager: 'reviewer_zhao',
    log_flag: true,
    status: 'API_STATUS_PUBLISHED',
    authorization_status: 'AUTHORIZED',
    parameter_extras: { 'query:region': { support_null: false }, 'path:id': { support_null: false } },
    response_field_extras: { id: { field: 'order_id' } },
    datasource_config: { connection_id: 'c'.repeat(32) },
  },
};

describe('DataServiceConnector.parse', () => {
  it('maps a row to the cross-cloud document by header name', async () => {
    const xlsx = await xlsxOf([{ name: 'Script APIs', rows: [SCRIPT_HEADER, scriptRow] }]);
    const [entry, ...rest] = await parse({ 'DataService_APIs_001.xlsx': xlsx });
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      kind: 'api',
      externalId: 'a'.repeat(32),
      name: 'query_sales_orders',
      scope: 'workspace:ws-1',
      redactedPaths: [],
      origin: { locator: 'DataService_APIs_001.xlsx#Script APIs!2' },
    });
    expect(entry.document).toEqual(expectedScriptDocument);
  });

  it('reads columns in any order, under Chinese or variant headers, and keeps unknown columns', async () => {
    const chinese: Record<string, string> = {
      'API ID': 'API编号', 'API Name': 'api_name', 'API Type': 'API类型', Catalog: '所属目录', Description: '描述', Protocol: '请求协议',
      'Request Method': '请求方式', Path: 'API 路径', Authentication: '认证方式', Visibility: '可见范围', Tags: '标签', Reviewer: '审核人',
      'Access Log': '访问日志', 'Request Parameters': '请求参数', 'Data Source Type': '数据源类型', 'Data Connection': '数据连接',
      'Data Connection ID': '数据连接ID', Database: '数据库', 'Data Table': '数据表', SQL: 'SQL语句', 'Response Parameters': '返回参数',
      'Publish Status': '发布状态', 'Authorization Status': '授权状态', Creator: '创建人', Created: '创建时间', Updated: '更新时间',
    };
    const order = SCRIPT_HEADER.map((_, i) => i).reverse();
    const header = [...order.map((i) => chinese[SCRIPT_HEADER[i]]), '备注'];
    const row = [...order.map((i) => scriptRow[i]), '内部使用'];
    const xlsx = await xlsxOf([{ name: '脚本方式API', rows: [header, row] }]);
    const [entry] = await parse({ 'a.xlsx': xlsx });
    expect(entry.document).toEqual({ ...expectedScriptDocument, vendorExtras: { ...expectedScriptDocument.vendorExtras, columns: { 备注: '内部使用' } } });
  });

  it('reads every sheet of every workbook, skips empty rows and sheets without an API name header', async () => {
    const minimal = (id: string, name: string) => [id, name, '/p/' + name, 'REQUEST_TYPE_GET'];
    const header = ['API ID', 'API Name', 'Path', 'Request Method'];
    const first = await xlsxOf([
      { name: 'Notes', rows: [['How to import'], ['Fill one row per API']] },
      { name: 'Configuration APIs', rows: [header, minimal('1'.repeat(32), 'conf_a'), [], minimal('2'.repeat(32), 'conf_b')] },
      { name: 'Orchestrated APIs', rows: [header, minimal('3'.repeat(32), 'orch_a')] },
    ]);
    const second = await xlsxOf([{ name: 'Registered APIs', rows: [header, minimal('4'.repeat(32), 'reg_a')] }]);
    const { ctx, logs, progress } = testContext();
    const entries = await parse({ 'DataService_APIs_001.xlsx': first, 'DataService_APIs_002.xlsx': second, 'readme.txt': 'hello' }, ctx);
    expect(entries.map((e) => [e.name, e.document.vendorExtras])).toEqual([
      ['conf_a', { api_type: 'API_SPECIFIC_TYPE_CONFIGURATION' }],
      ['conf_b', { api_type: 'API_SPECIFIC_TYPE_CONFIGURATION' }],
      ['orch_a', { api_type: 'API_SPECIFIC_TYPE_ORCHESTRATE' }],
      ['reg_a', { api_type: 'API_SPECIFIC_TYPE_REGISTER' }],
    ]);
    expect(entries[0].document).toMatchObject({ status: 'unknown', protocols: [], backend: null, createdAt: null, tags: [], parameters: [] });
    expect(logs.map((l) => [l.msg, l.sheet ?? l.entry])).toEqual([
      ['DataService export: skipped a sheet', 'Notes'],
      ['DataService export: skipped an entry that is not an .xlsx workbook', 'readme.txt'],
    ]);
    expect(progress.at(-1)).toEqual({ itemsParsed: 4 });
  });

  it('maps registered and Groovy APIs to their backends and redacts secret constants', async () => {
    const constants = [
      { name: 'source', type: 'REQUEST_PARAMETER_TYPE_STRING', position: 'REQUEST_PARAMETER_POSITION_QUERY', description: '', value: 'dataarts' },
      { name: 'app_secret', type: 'REQUEST_PARAMETER_TYPE_STRING', position: 'REQUEST_PARAMETER_POSITION_HEADER', description: '', value: 'SIMSECRET-abc123' },
    ];
    const registered = await xlsxOf([
      {
        name: 'Registered APIs',
        rows: [
          ['API ID', 'API Name', 'Backend Method', 'Backend Protocol', 'Backend Host', 'Backend Path', 'Backend Timeout (ms)', 'Constant Parameters', 'Created'],
          ['5'.repeat(32), 'reg_orders', 'REQUEST_TYPE_GET', 'PROTOCOL_TYPE_HTTP', '10.0.0.1:8080', '/api/orders', 30000, JSON.stringify(constants), 1709280930000],
        ],
      },
      {
        name: 'Groovy APIs',
        rows: [
          ['API ID', 'API Name', 'Groovy Script', 'Data Sources', 'Created'],
          ['6'.repeat(32), 'groovy_devices', 'return rows', JSON.stringify([{ connection_name: 'dli_iot' }, { connection_name: 'dws_iot' }]), '2024-03-01 16:15:30'],
        ],
      },
    ]);
    const [reg, groovy] = await parse({ 'x.xlsx': registered });
    expect(reg.document.backend).toEqual({ type: 'http', address: 'http://10.0.0.1:8080', method: 'GET', path: '/api/orders', timeoutMs: 30000, vpc: false });
    expect(reg.redactedPaths).toEqual(['/vendorExtras/backend_config/constant_paras/1/value']);
    const stored = (reg.document.vendorExtras as any).backend_config.constant_paras;
    expect(stored[0].value).toBe('dataarts');
    expect(stored[1].value).toEqual({ $redacted: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/) });
    expect(JSON.stringify(reg)).not.toContain('SIMSECRET');
    expect(reg.document.createdAt).toBe('2024-03-01T08:15:30.000Z');
    expect(groovy.document.backend).toEqual({ type: 'script', language: 'groovy', script: 'return rows', datasources: ['dli_iot', 'dws_iot'] });
    expect(groovy.document.createdAt).toBe('2024-03-01T08:15:30.000Z');
  });

  it('reads loose spellings: several protocols, Chinese status words, Excel dates, yes/no flags', async () => {
    const xlsx = await xlsxOf([
      {
        name: 'x',
        rows: [
          ['API ID', 'API名称', '请求协议', '发布状态', '创建时间', '更新时间', '访问日志', '请求方式'],
          ['8'.repeat(32), 'loose_one', 'PROTOCOL_TYPE_HTTPS,PROTOCOL_TYPE_HTTP', '已下线', new Date('2024-03-01T08:15:30Z'), '1709280930000', '是', 'get'],
          ['9'.repeat(32), 'loose_two', 'HTTP / HTTPS', '未发布', '2024-03-01T08:15:30Z', null, '否', 'REQUEST_TYPE_POST'],
        ],
      },
    ]);
    const [one, two] = await parse({ 'x.xlsx': xlsx });
    expect(one.document).toMatchObject({
      protocols: ['http', 'https'],
      status: 'offline',
      createdAt: '2024-03-01T08:15:30.000Z',
      updatedAt: '2024-03-01T08:15:30.000Z',
      method: 'GET',
      vendorExtras: { status: '已下线', log_flag: true },
    });
    expect(two.document).toMatchObject({ protocols: ['http', 'https'], status: 'unpublished', updatedAt: null, method: 'POST', vendorExtras: { log_flag: false } });
  });

  it('keeps a time it cannot read as text instead of guessing', async () => {
    const xlsx = await xlsxOf([{ name: 'x', rows: [['API ID', 'API Name', 'Created'], ['7'.repeat(32), 'odd_time', 'last Tuesday']] }]);
    const [entry] = await parse({ 'x.xlsx': xlsx });
    expect(entry.document).toMatchObject({ createdAt: null, vendorExtras: { create_time_text: 'last Tuesday' } });
  });

  it('reads a workbook whose workbook part comes last, as streaming writers order it (exceljs/unzipper early-end race)', async () => {
    // One sheet per API type, as the export has: with several sheets buffered by exceljs, its
    // unzipper's early 'end' used to drop xl/workbook.xml (sheet names lost, or a crash).
    const types = ['Configuration', 'Script', 'MyBatis', 'Groovy', 'Registered', 'Orchestrated'];
    const xlsx = await streamedXlsxOf(
      types.map((type, i) => ({ name: `${type} APIs`, rows: [['API ID', 'API Name'], [String(i).repeat(32), `${type.toLowerCase()}_api`]] })),
    );
    expect(Object.keys(unzipSync(new Uint8Array(xlsx))).at(-1)).toBe('xl/workbook.xml');
    const entries = await parse({ 'DataService_APIs_001.xlsx': xlsx });
    expect(entries.map((e) => e.origin.locator)).toEqual(types.map((type) => `DataService_APIs_001.xlsx#${type} APIs!2`));
    expect(entries.map((e) => (e.document.vendorExtras as Record<string, unknown>).api_type)).toEqual([
      'API_SPECIFIC_TYPE_CONFIGURATION',
      'API_SPECIFIC_TYPE_SCRIPT',
      'API_SPECIFIC_TYPE_MYBATIS',
      'API_SPECIFIC_TYPE_GROOVY',
      'API_SPECIFIC_TYPE_REGISTER',
      'API_SPECIFIC_TYPE_ORCHESTRATE',
    ]);
  });

  describe('refuses, naming the entry', () => {
    let good: Uint8Array;
    beforeAll(async () => {
      good = await xlsxOf([{ name: 'Script APIs', rows: [SCRIPT_HEADER, scriptRow] }]);
    });

    it('a workbook cut in half', async () => {
      const error = await parseError({ 'DataService_APIs_001.xlsx': good.subarray(0, Math.floor(good.length / 2)) });
      expect(error.code).toBe('BAD_WORKBOOK');
      expect(error.message).toMatch(/^DataService_APIs\.zip: entry "DataService_APIs_001\.xlsx" is not a readable xlsx workbook/);
    });

    it('bytes that are not a zip', async () => {
      const error = await parseError({ 'b.xlsx': 'this is not a workbook at all' });
      expect([error.code, error.message]).toEqual(['BAD_WORKBOOK', expect.stringContaining('entry "b.xlsx"')]);
    });

    it('a zip without a workbook part', async () => {
      const error = await parseError({ 'c.xlsx': zipSync({ 'hello.txt': strToU8('hi') }) });
      expect(error.message).toContain('no workbook part');
    });

    it('a sheet whose XML stops early, even inside a well-formed zip', async () => {
      const parts = unzipSync(good);
      const xml = new TextDecoder().decode(parts['xl/worksheets/sheet1.xml']);
      parts['xl/worksheets/sheet1.xml'] = strToU8(xml.slice(0, xml.indexOf('<row r="2"')));
      const error = await parseError({ 'd.xlsx': zipSync(parts) });
      expect([error.code, error.message]).toEqual(['BAD_WORKBOOK', expect.stringContaining('ends before its closing tag')]);
    });

    it('a sheet the workbook declares but does not hold', async () => {
      const parts = unzipSync(good);
      delete parts['xl/worksheets/sheet1.xml'];
      const error = await parseError({ 'e.xlsx': zipSync(parts) });
      expect(error.message).toContain('declares 1 sheet(s) but holds 0');
    });

    it('a request parameter cell that is not JSON, naming sheet, row and column', async () => {
      const row = [...scriptRow];
      row[SCRIPT_HEADER.indexOf('Request Parameters')] = '[{"name":';
      const error = await parseError({ 'f.xlsx': await xlsxOf([{ name: 'Script APIs', rows: [SCRIPT_HEADER, row] }]) });
      expect([error.code, error.message]).toEqual(['BAD_API_CELL', 'DataService_APIs.zip: entry "f.xlsx", sheet "Script APIs", row 2: column "Request Parameters" is not JSON']);
    });

    it('a row without an API name', async () => {
      const row = [...scriptRow];
      row[1] = '';
      expect((await parseError({ 'g.xlsx': await xlsxOf([{ name: 'Script APIs', rows: [SCRIPT_HEADER, row] }]) })).code).toBe('MISSING_API_NAME');
    });

    it('one API in two rows', async () => {
      const xlsx = await xlsxOf([{ name: 'Script APIs', rows: [SCRIPT_HEADER, scriptRow] }]);
      const error = await parseError({ 'h1.xlsx': xlsx, 'h2.xlsx': xlsx });
      expect([error.code, error.message]).toEqual(['DUPLICATE_API', expect.stringContaining('h1.xlsx#Script APIs!2 and h2.xlsx#Script APIs!2')]);
    });

    it('two headers naming one field', async () => {
      const error = await parseError({ 'i.xlsx': await xlsxOf([{ name: 's', rows: [['API Name', 'API名称'], ['x', 'y']] }]) });
      expect([error.code, error.message]).toEqual(['BAD_WORKBOOK_LAYOUT', expect.stringContaining('"API Name" and "API名称" both name the field name')]);
    });

    it('an export whose zip breaks while a workbook is read: the zip error wins', async () => {
      // The headers declare fewer bytes than the entry holds: the safe zip reader fails the
      // stream half way through, while exceljs is still reading it.
      const zip = withDeclaredUncompressedSize(zipOf({ 'DataService_APIs_001.xlsx': good }), 'DataService_APIs_001.xlsx', 1000);
      const artifact = await artifactOf(temp, {});
      await writeFile(artifact.localPath, zip);
      const error = await (async () => {
        for await (const _ of connector.parse(artifact, config(), testContext().ctx)) void _;
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ArtifactFormatError);
      expect((error as ArtifactFormatError).code).toBe('ZIP_BOMB');
      expect((error as ArtifactFormatError).message).toContain('DataService_APIs_001.xlsx');
    });
  });
});
