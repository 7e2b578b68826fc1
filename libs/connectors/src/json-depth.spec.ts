import { parseExportText } from './huawei.apig/apig-export-file.js';
import { readDataWorksPage } from './aliyun.dataworks.dataservice/dataworks-page.js';
import { readDlfConnectionFile } from './huawei.dataarts.dlf.connections/dlf-connection-file.js';
import { readLiveDataExport } from './huawei.roma.livedata/livedata-export-file.js';
import { romaLiveDataLimitsSchema } from './huawei.roma.livedata/roma-livedata-config.js';
import { ArtifactFormatError } from './errors.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth.js';
import { TempFiles } from './test/zip-fixtures.js';

/** `[[...]]`, `depth` levels: far past what recursive code survives when depth is 100,000. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const HOSTILE = 100_000;

const temp = new TempFiles();
afterAll(() => temp.cleanup());

function refusal(read: () => unknown): ArtifactFormatError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ArtifactFormatError);
    return error as ArtifactFormatError;
  }
  throw new Error('expected a refusal');
}

describe('jsonDepthExceeds', () => {
  it('counts containers, not scalars, without recursion', () => {
    expect(jsonDepthExceeds('text', 0)).toBe(false);
    expect(jsonDepthExceeds([], 0)).toBe(true);
    expect(jsonDepthExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(jsonDepthExceeds({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(jsonDepthExceeds(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonDepthExceeds(JSON.parse(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
    expect(jsonDepthExceeds(JSON.parse(nested(HOSTILE)))).toBe(true);
  });
});

// Before this check, each of these readers accepted the document and the run failed later on a
// stack overflow ("Maximum call stack size exceeded", code INTERNAL) in the recursive code after it.
describe('vendor documents nested 100,000 levels deep are refused by their reader, with its code', () => {
  it('a DLF .conn entry', () => {
    const error = refusal(() => readDlfConnectionFile(Buffer.from(`{"name":"deep","config":${nested(HOSTILE)}}`), 'connections/deep.conn', 'export.zip'));
    expect(error.code).toBe('BAD_CONN_JSON');
    expect(error.message).toMatch(/connections\/deep\.conn" nests deeper than 256 levels/);
  });

  it('an APIG export, JSON or YAML', () => {
    expect(refusal(() => parseExportText(Buffer.from(`{"openapi":"3.0.1","x":${nested(HOSTILE)}}`), 'group.json')).code).toBe('BAD_OPENAPI_JSON');
    expect(refusal(() => parseExportText(Buffer.from(`openapi: 3.0.1\nx: ${nested(2 * MAX_JSON_DEPTH)}\n`), 'group.yaml')).code).toBe('BAD_OPENAPI_YAML');
  });

  it('a DataWorks page', () => {
    const page = `{"Success":true,"Data":{"PageNumber":1,"PageSize":100,"TotalCount":1,"Apis":[{"ApiId":1,"ApiName":"deep","X":${nested(HOSTILE)}}]}}`;
    const error = refusal(() => readDataWorksPage(Buffer.from(page), 'page1.json'));
    expect(error.code).toBe('PAGE_TOO_DEEP');
    expect(error.message).toContain('nests deeper than');
  });

  it('a ROMA livedata export', async () => {
    const localPath = await temp.write('deep.json', `{"swagger":"2.0","paths":{"/x":{"get":{"x-deep":${nested(HOSTILE)}}}}}`);
    const limits = romaLiveDataLimitsSchema.parse({});
    const error = await readLiveDataExport({ name: 'livedata-apis.json', call: 'export', sha256: 'x', size: 1, localPath }, limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactFormatError);
    expect((error as ArtifactFormatError).code).toBe('BAD_JSON');
  });
});
