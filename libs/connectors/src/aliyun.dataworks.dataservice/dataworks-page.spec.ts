import { ArtifactFormatError } from '../errors.js';
import { mapDataWorksApi, dataWorksInstant } from './dataworks-api-document.js';
import { readDataWorksPage } from './dataworks-page.js';
import { readProjectPass, type ReadPage } from './dataworks-project-pass.js';

const wizardApi = {
  Timeout: 10000,
  Status: 1,
  ApiId: 10002,
  ApiMode: 0,
  ProjectId: 10000,
  ResponseContentType: 0,
  CreatorId: '1234567',
  VisibleRange: 0,
  ModifiedTime: '2020-06-23T00:21:01+0800',
  OperatorId: '2345678',
  GroupId: 'ab123',
  Description: 'Test API description',
  FolderId: 0,
  RequestMethod: 0,
  CreatedTime: '2020-06-22T10:00:00+0800',
  ApiName: 'My_API_name',
  TenantId: 10001,
  ApiPath: '/test/1',
  Protocols: [0, 1],
  WizardDetails: {
    IsPagedResponse: true,
    WizardConnection: { TableName: 'person', ConnectionId: 122786 },
    WizardRequestParameters: [
      { ColumnName: 'id', ParameterName: 'id', ParameterPosition: 1, ParameterDescription: '', DefaultValue: '', ParameterOperator: 0, ParameterDataType: 2, ExampleValue: '1', IsRequiredParameter: true },
      { ColumnName: 'tags', ParameterName: 'tags', ParameterPosition: 1, ParameterDescription: 'tag list', DefaultValue: 'a,b', ParameterOperator: 3, ParameterDataType: 6, ExampleValue: '', IsRequiredParameter: false },
    ],
    WizardResponseParameters: [{ ParameterDescription: '名字', ColumnName: 'name', ParameterName: 'name', ParameterDataType: 0, ExampleValue: 'li' }],
  },
};

/** The vendor sample's shape: lists of one as the element itself. */
const quirkyJson = {
  HttpStatusCode: 200,
  RequestId: '0000-ABCD-EFG',
  Success: true,
  Data: {
    PageNumber: 1,
    PageSize: 10,
    TotalCount: 1,
    Apis: {
      ...wizardApi,
      Protocols: 0,
      WizardDetails: { ...wizardApi.WizardDetails, WizardRequestParameters: wizardApi.WizardDetails.WizardRequestParameters[0], WizardResponseParameters: wizardApi.WizardDetails.WizardResponseParameters[0] },
    },
  },
};

const xmlPage = `<?xml version='1.0' encoding='UTF-8'?>
<ListDataServiceApisResponse>
  <HttpStatusCode>200</HttpStatusCode>
  <RequestId>0000-ABCD-EFG</RequestId>
  <Success>true</Success>
  <Data>
    <PageNumber>1</PageNumber><PageSize>10</PageSize><TotalCount>1</TotalCount>
    <Apis>
      <Timeout>10000</Timeout><Status>1</Status><ApiId>10002</ApiId><ApiMode>0</ApiMode><ProjectId>10000</ProjectId>
      <ResponseContentType>0</ResponseContentType><CreatorId>1234567</CreatorId><VisibleRange>0</VisibleRange>
      <ModifiedTime>2020-06-23T00:21:01+0800</ModifiedTime><OperatorId>2345678</OperatorId><GroupId>ab123</GroupId>
      <Description>Test API description</Description><FolderId>0</FolderId><RequestMethod>0</RequestMethod>
      <CreatedTime>2020-06-22T10:00:00+0800</CreatedTime><ApiName>My_API_name</ApiName><TenantId>10001</TenantId>
      <ApiPath>/test/1</ApiPath><Protocols>0</Protocols>
      <WizardDetails>
        <IsPagedResponse>true</IsPagedResponse>
        <WizardConnection><TableName>person</TableName><ConnectionId>122786</ConnectionId></WizardConnection>
        <WizardRequestParameters><ColumnName>id</ColumnName><ParameterName>id</ParameterName><ParameterPosition>1</ParameterPosition><ParameterDescription></ParameterDescription><DefaultValue></DefaultValue><ParameterOperator>0</ParameterOperator><ParameterDataType>2</ParameterDataType><ExampleValue>1</ExampleValue><IsRequiredParameter>true</IsRequiredParameter></WizardRequestParameters>
        <WizardResponseParameters><ParameterDescription>&#21517;&#23383;</ParameterDescription><ColumnName>name</ColumnName><ParameterName>name</ParameterName><ParameterDataType>0</ParameterDataType><ExampleValue>li</ExampleValue></WizardResponseParameters>
      </WizardDetails>
    </Apis>
  </Data>
</ListDataServiceApisResponse>`;

const page = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('readDataWorksPage', () => {
  it('reads the vendor sample shape (lists of one as objects), real arrays and XML alike', () => {
    const fromQuirk = readDataWorksPage(page(quirkyJson), 'quirk.json');
    const fromXml = readDataWorksPage(page(xmlPage), 'page.xml');
    expect(fromQuirk).toMatchObject({ pageNumber: 1, pageSize: 10, totalCount: 1, format: 'json' });
    expect(fromXml).toMatchObject({ pageNumber: 1, pageSize: 10, totalCount: 1, format: 'xml' });
    expect(fromXml.apis).toEqual(fromQuirk.apis);
    const api = fromQuirk.apis[0] as any;
    expect(api.Protocols).toEqual([0]);
    expect(api.WizardDetails.WizardRequestParameters).toHaveLength(1);
    expect(api.WizardDetails.WizardResponseParameters[0].ParameterDescription).toBe('名字');
    expect(readDataWorksPage(page({ ...quirkyJson, Data: { ...quirkyJson.Data, Apis: [wizardApi] } }), 'arrays.json').apis[0]).toMatchObject({ Protocols: [0, 1] });
  });

  it('reads an empty page, with Apis empty or absent', () => {
    for (const Data of [{ PageNumber: 2, PageSize: 10, TotalCount: 0, Apis: [] }, { PageNumber: 2, PageSize: 10, TotalCount: 0 }]) {
      expect(readDataWorksPage(page({ ...quirkyJson, Data }), 'empty.json').apis).toEqual([]);
    }
    const xml = "<?xml version='1.0' encoding='UTF-8'?><R><Success>true</Success><Data><PageNumber>1</PageNumber><PageSize>10</PageSize><TotalCount>0</TotalCount></Data></R>";
    expect(readDataWorksPage(page(xml), 'empty.xml').apis).toEqual([]);
  });

  it.each([
    [
      'a billion-laughs XML bomb',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><R><Data><PageNumber>1</PageNumber><PageSize>1</PageSize><TotalCount>1</TotalCount><Apis><ApiId>1</ApiId><ApiName>&lol3;</ApiName></Apis></Data></R>`,
      'XML_DOCTYPE',
    ],
    ['an external entity', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><R><Data>&xxe;</Data></R>`, 'XML_DOCTYPE'],
    ['a truncated XML page', xmlPage.slice(0, xmlPage.length / 2), 'BAD_XML'],
    ['nesting deeper than any answer', `<R>${'<a>'.repeat(200)}x${'</a>'.repeat(200)}</R>`, 'BAD_XML'],
    ['a truncated JSON page', JSON.stringify(quirkyJson).slice(0, 200), 'BAD_PAGE'],
    ['an HTML page', '<!DOCTYPE html><html><body>502</body></html>', 'BAD_PAGE'],
    ['no Data', JSON.stringify({ RequestId: 'x', Success: true }), 'BAD_PAGE'],
    ['an API without ApiId', JSON.stringify({ ...quirkyJson, Data: { ...quirkyJson.Data, Apis: [{ ApiName: 'x' }] } }), 'BAD_API'],
    ['a TotalCount that is no number', JSON.stringify({ ...quirkyJson, Data: { ...quirkyJson.Data, TotalCount: 'many' } }), 'BAD_PAGE'],
    ['an error inside a 200', JSON.stringify({ Success: false, HttpStatusCode: 400, ErrorCode: 'Invalid.Tenant.ConnectionNotExists', ErrorMessage: 'The connection does not exist.' }), 'VENDOR_ERROR_PAGE'],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x01]), 'BAD_PAGE'],
  ])('refuses %s cleanly', (_, body, code) => {
    const started = Date.now();
    let error: unknown;
    try {
      readDataWorksPage(Buffer.isBuffer(body) ? body : page(body), 'bad-page');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ArtifactFormatError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(/^bad-page: /);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('mapDataWorksApi', () => {
  it('maps a wizard API to the cross-cloud document', () => {
    const [api] = readDataWorksPage(page({ ...quirkyJson, Data: { ...quirkyJson.Data, Apis: [wizardApi] } }), 'p.json').apis;
    const mapped = mapDataWorksApi(api);
    expect(mapped).toMatchObject({ externalId: '10002', name: 'My_API_name', projectId: 10000 });
    expect(mapped.document).toEqual({
      vendor: 'alibaba',
      service: 'dataworks.dataservice',
      name: 'My_API_name',
      method: 'GET',
      path: '/test/1',
      protocols: ['http', 'https'],
      description: 'Test API description',
      tags: [],
      status: 'published',
      authType: null,
      group: 'ab123',
      parameters: [
        { name: 'id', location: 'query', type: 'long', required: true, default: null, example: '1', description: null },
        { name: 'tags', location: 'query', type: 'array', required: false, default: 'a,b', example: null, description: 'tag list' },
      ],
      responseFields: [{ name: 'name', type: 'string', description: '名字', example: 'li' }],
      backend: { type: 'datasource', datasourceType: null, connection: '122786', database: null, table: 'person', sql: null },
      owner: '1234567',
      createdAt: '2020-06-22T02:00:00.000Z',
      updatedAt: '2020-06-22T16:21:01.000Z',
      vendorExtras: {
        apiMode: 'wizard',
        projectId: 10000,
        tenantId: 10001,
        folderId: 0,
        timeoutMs: 10000,
        visibleRange: 'workspace',
        responseContentType: 'json',
        operatorId: '2345678',
        isPagedResponse: true,
        parameterExtras: { 'query:id': { columnName: 'id', operator: 'Equal' }, 'query:tags': { columnName: 'tags', operator: 'In', dataType: 'StringList' } },
        responseFieldExtras: { name: { columnName: 'name' } },
      },
    });
  });

  it('maps script and registration APIs, their backends and their remainder', () => {
    const script = mapDataWorksApi({
      ...wizardApi,
      ApiMode: 1,
      RequestMethod: 1,
      WizardDetails: undefined as never,
      ScriptDetails: { Script: 'select * from t where id = ${id}', IsPagedResponse: false, ScriptConnection: { ConnectionId: 7, TableName: 't' }, ScriptRequestParameters: [], ScriptResponseParameters: [] },
    } as any);
    expect(script.document).toMatchObject({ method: 'POST', backend: { type: 'datasource', connection: '7', table: 't', sql: 'select * from t where id = ${id}' }, vendorExtras: { apiMode: 'script', isPagedResponse: false } });

    const registration = mapDataWorksApi({
      ...wizardApi,
      ApiMode: 2,
      RequestMethod: 3,
      Status: 0,
      Protocols: [1],
      ResponseContentType: 1,
      WizardDetails: undefined as never,
      RegistrationDetails: {
        ServiceHost: 'http://10.0.0.1:8080',
        ServicePath: '/orders/{id}',
        ServiceContentType: 1,
        SuccessfulResultSample: '<ok/>',
        FailedResultSample: '',
        ServiceRequestBodyDescription: '',
        RegistrationErrorCodes: [{ ErrorCode: '1001', ErrorMessage: 'fail', ErrorSolution: 'retry' }],
        RegistrationRequestParameters: [
          { ColumnName: '', ParameterName: 'X-Token', ParameterPosition: 2, ParameterDescription: '', DefaultValue: 'abc', ParameterOperator: 2, ParameterDataType: 0, ExampleValue: '', IsRequiredParameter: false },
        ],
        NewField: 'kept',
      },
    } as any);
    expect(registration.document).toMatchObject({
      method: 'DELETE',
      status: 'unpublished',
      protocols: ['https'],
      parameters: [{ name: 'X-Token', location: 'header', type: 'string', default: 'abc' }],
      responseFields: [],
      backend: { type: 'http', address: 'http://10.0.0.1:8080', method: null, path: '/orders/{id}', timeoutMs: null, vpc: false },
      vendorExtras: {
        apiMode: 'registration',
        responseContentType: 'xml',
        serviceContentType: 'xml',
        successfulResultSample: '<ok/>',
        errorCodes: [{ ErrorCode: '1001', ErrorMessage: 'fail', ErrorSolution: 'retry' }],
        parameterExtras: { 'header:X-Token': { operator: 'Const' } },
        unknown: { 'RegistrationDetails.NewField': 'kept' },
      },
    });
  });

  it('keeps values it cannot map raw, instead of guessing', () => {
    const odd = mapDataWorksApi({ ...wizardApi, RequestMethod: 9, Status: 4, Protocols: [0, 5], Extra: { a: 1 }, CreatedTime: 'yesterday' } as any);
    expect(odd.document).toMatchObject({ method: null, status: 'unknown', protocols: ['http'], createdAt: null });
    expect(odd.document.vendorExtras).toMatchObject({ requestMethod: 9, status: 4, protocols: [0, 5], unknown: { Extra: { a: 1 } }, CreatedTimeText: 'yesterday' });
  });

  it('reads the vendor time format, with or without offset', () => {
    expect(dataWorksInstant('2020-06-23T00:21:01+0800')).toBe('2020-06-22T16:21:01.000Z');
    expect(dataWorksInstant('2020-06-23T00:21:01+08:00')).toBe('2020-06-22T16:21:01.000Z');
    expect(dataWorksInstant('2020-06-23 00:21:01')).toBe('2020-06-22T16:21:01.000Z');
    expect(dataWorksInstant('2020-06-23T00:21:01Z')).toBe('2020-06-23T00:21:01.000Z');
    expect(dataWorksInstant('')).toBeNull();
    expect(dataWorksInstant('soon')).toBeUndefined();
  });
});

describe('readProjectPass', () => {
  /** A listing of `ids` served in pages; `mutate(pageNumber)` may change it after a page is served. */
  function listing(initial: number[], mutate: (ids: number[], served: number) => number[] = (ids) => ids) {
    let ids = [...initial];
    const requested: number[] = [];
    const fetcher = async (pageNumber: number, pageSize = 10, answeredPageSize = pageSize): Promise<ReadPage> => {
      requested.push(pageNumber);
      const slice = ids.slice((pageNumber - 1) * answeredPageSize, pageNumber * answeredPageSize);
      const read: ReadPage = {
        pageNumber,
        body: Buffer.from(JSON.stringify(slice)),
        page: { pageNumber, pageSize: answeredPageSize, totalCount: ids.length, apis: slice.map((ApiId) => ({ ApiId, ApiName: `a${ApiId}` })), format: 'json' },
      };
      ids = mutate(ids, pageNumber);
      return read;
    };
    return { fetcher, requested };
  }
  const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

  it('reads every page of a stable listing once', async () => {
    const { fetcher, requested } = listing(range(1, 25));
    const pass = await readProjectPass((n) => fetcher(n), 10);
    expect(pass).toMatchObject({ kind: 'consistent', totalCount: 25 });
    expect(requested).toEqual([1, 2, 3]);
    expect(await readProjectPass((n) => listing([]).fetcher(n), 10)).toMatchObject({ kind: 'consistent', totalCount: 0 });
    expect(await readProjectPass((n) => listing(range(1, 20)).fetcher(n), 10)).toMatchObject({ kind: 'consistent', totalCount: 20 });
  });

  it('reports an API created meanwhile (TotalCount changes, the next page repeats one)', async () => {
    const created = listing(range(1, 25), (ids, served) => (served === 1 ? [100, ...ids] : ids));
    expect(await readProjectPass((n) => created.fetcher(n), 10)).toMatchObject({ kind: 'drift', reason: expect.stringContaining('TotalCount went from 25 to 26') });
  });

  it('reports an API seen twice even when TotalCount stays (one created, one deleted further on)', async () => {
    const swapped = listing(range(1, 25), (ids, served) => (served === 1 ? [100, ...ids.filter((id) => id !== 20)] : ids));
    expect(await readProjectPass((n) => swapped.fetcher(n), 10)).toMatchObject({ kind: 'drift', reason: 'API 10 is listed again on page 2' });
  });

  it('reports a gap: a short page before the last, or fewer distinct APIs than TotalCount', async () => {
    const short = listing(range(1, 25));
    expect(await readProjectPass((n) => short.fetcher(n, 10, n === 2 ? 10 : 10).then((r) => (n === 2 ? { ...r, page: { ...r.page, apis: r.page.apis.slice(1) } } : r)), 10)).toMatchObject({
      kind: 'drift',
      reason: expect.stringContaining('page 2 holds 9 APIs where 10 were due'),
    });
    const lastShort = listing(range(1, 25));
    expect(await readProjectPass((n) => lastShort.fetcher(n).then((r) => (n === 3 ? { ...r, page: { ...r.page, apis: r.page.apis.slice(1) } } : r)), 10)).toMatchObject({
      kind: 'drift',
      reason: 'TotalCount is 25 but the pages held 24 distinct APIs',
    });
  });

  it('follows a vendor that answers a smaller PageSize than asked', async () => {
    const capped = listing(range(1, 120));
    const pass = await readProjectPass((n) => capped.fetcher(n, 100, 50), 100);
    expect(pass).toMatchObject({ kind: 'consistent', totalCount: 120 });
    expect(capped.requested).toEqual([1, 2, 3]);
  });

  it('reports a failed page with the pages read so far and the unreadable bytes', async () => {
    const { fetcher } = listing(range(1, 25));
    const error = Object.assign(new Error('bad page'), { unreadableBody: { pageNumber: 2, body: Buffer.from('{"Data":') } });
    const pass = await readProjectPass((n) => (n === 2 ? Promise.reject(error) : fetcher(n)), 10);
    expect(pass.kind).toBe('failed');
    expect(pass.pages.map((p) => [p.pageNumber, p.body.toString()])).toEqual([
      [1, JSON.stringify(range(1, 10))],
      [2, '{"Data":'],
    ]);
  });
});
