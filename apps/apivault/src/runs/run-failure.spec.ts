import { ArchiveObjectMissingError } from '#archive';
import { ArtifactFormatError, VendorCallError, VendorHttpClient } from '#connectors';
import { RouteServer } from '../../../../libs/connectors/src/http/test/route-server.js';
import { describeRunFailure } from './run-failure.js';

const LIST_CALL = 'POST /?Action=ListDataServiceApis';
const EXPORT_CALL = 'POST /v1/{project_id}/connections/export';

/** The run's `error` as stored and served: JSON. */
const recorded = (error: unknown) => JSON.parse(JSON.stringify(describeRunFailure(error))) as Record<string, unknown>;

async function failureOf(promise: Promise<unknown>): Promise<VendorCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VendorCallError);
  return error as VendorCallError;
}

// The errors come from the real HTTP client reading real answers, so what is checked is the whole
// way from a vendor's error body to the run's `error`.
describe('describeRunFailure', () => {
  let server: RouteServer;
  const client = new VendorHttpClient({ timeoutMs: 2_000, retry: { maxAttempts: 2, baseDelayMs: 10 } });
  const call = (url: string, name = LIST_CALL) => client.fetchBuffered({ call: name, method: 'POST', url, expect: 'json', idempotent: true });

  beforeAll(async () => {
    server = await RouteServer.start();
  });
  afterAll(() => server.close());

  it('names the call, the status and the vendor code of an Alibaba error answered in XML, and what was tried', async () => {
    const url = server.route('/xml-throttled', (_req, res) =>
      res
        .writeHead(429, { 'content-type': 'text/xml;charset=utf-8', 'retry-after': '0' })
        .end("<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R1</RequestId><Code>Throttling.User</Code><Message>Request was denied due to user flow control.</Message></Error>"),
    );
    expect(recorded(await failureOf(call(url)))).toEqual({
      stage: 'fetch',
      code: 'HTTP_ERROR',
      call: LIST_CALL,
      status: 429,
      vendorCode: 'Throttling.User',
      attempts: 2,
      message: `${LIST_CALL}: vendor answered 429 Throttling.User: Request was denied due to user flow control. (gave up after 2 attempts)`,
    });
  });

  it.each([
    ['Alibaba JSON', 403, '{"RequestId":"R2","Code":"Forbidden.Access","Message":"You are not authorized to access the resources in this workspace."}', 'Forbidden.Access', 'You are not authorized to access the resources in this workspace.'],
    ['Huawei', 404, '{"error_code":"DLF.6322","error_msg":"The connection does not exist."}', 'DLF.6322', 'The connection does not exist.'],
    ['Huawei IAM', 401, '{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}', '401', 'The request you have made requires authentication.'],
  ])('names the call, the status and the vendor code of an error body from %s', async (vendor, status, body, vendorCode, said) => {
    const url = server.route(`/${vendor.replace(/\W/g, '-')}`, (_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
    expect(recorded(await failureOf(call(url, EXPORT_CALL)))).toEqual({
      stage: 'fetch',
      code: 'HTTP_ERROR',
      call: EXPORT_CALL,
      status,
      vendorCode,
      message: `${EXPORT_CALL}: vendor answered ${status} ${vendorCode}: ${said}`,
    });
  });

  it('leaves out what a failure does not have (no status or vendor code for a dropped connection)', async () => {
    const url = server.route('/gone', (req) => req.socket.destroy());
    const failure = recorded(await failureOf(call(url)));
    expect(failure).toEqual({ stage: 'fetch', code: 'NETWORK', call: LIST_CALL, attempts: 2, message: expect.stringMatching(/^POST \/\?Action=ListDataServiceApis: network error while sending the request: /) });
  });

  it('reports the vendor call when something else wrapped its failure', async () => {
    const url = server.route('/bad-request', (_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error_code":"APIG.2001","error_msg":"bad"}'));
    const vendorFailure = await failureOf(call(url));
    const wrapped = new Error('spooling the export failed', { cause: new Error('stream ended', { cause: vendorFailure }) });
    expect(recorded(wrapped)).toEqual(recorded(vendorFailure));
    expect(recorded(wrapped)).toMatchObject({ call: LIST_CALL, status: 400, vendorCode: 'APIG.2001' });
  });

  it('keeps the stage and code of parse, archive and engine failures', () => {
    expect(recorded(new ArtifactFormatError('ZIP_SLIP', 'entry "../x" escapes the export', 'export.zip'))).toEqual({
      stage: 'parse',
      code: 'ZIP_SLIP',
      artifact: 'export.zip',
      message: 'entry "../x" escapes the export',
    });
    expect(recorded(new ArchiveObjectMissingError('sha256/ab/cd'))).toEqual({ stage: 'archive', code: 'ArchiveObjectMissingError', message: 'archive object sha256/ab/cd does not exist' });
    expect(recorded(new TypeError('x is undefined'))).toEqual({ stage: 'engine', code: 'INTERNAL', message: 'x is undefined' });
    expect(recorded('a string thrown')).toEqual({ stage: 'engine', code: 'INTERNAL', message: 'a string thrown' });
  });
});
