import { unzipSync } from 'fflate';
import { ArtifactFormatError } from '../errors.js';
import { zipOf } from '../test/zip-fixtures.js';
import { xlsxOf } from './test/dataservice-fixtures.js';
import { precheckWorkbook } from './workbook-precheck.js';

const where = { artifact: 'DataService_APIs.zip', entry: 'DataService_APIs_001.xlsx' };

async function refusal(workbook: Buffer): Promise<ArtifactFormatError> {
  const error = await precheckWorkbook(workbook, where, {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArtifactFormatError);
  expect((error as ArtifactFormatError).code).toBe('BAD_WORKBOOK');
  expect((error as ArtifactFormatError).message).toMatch(/^DataService_APIs\.zip: entry "DataService_APIs_001\.xlsx" is not a readable xlsx workbook: /);
  return error as ArtifactFormatError;
}

describe('precheckWorkbook', () => {
  let parts: Record<string, Uint8Array>;
  beforeAll(async () => {
    parts = unzipSync(await xlsxOf([{ name: 'Script APIs', rows: [['API Name'], ['orders']] }]));
  });

  it('passes a workbook as exceljs writes it', async () => {
    await expect(precheckWorkbook(zipOf(parts), where, {})).resolves.toBeUndefined();
  });

  // exceljs would inflate this sheet without a limit, to a temp file.
  it('refuses a part that inflates past the entry limit, before exceljs ever reads it', async () => {
    const error = await refusal(zipOf({ ...parts, 'xl/worksheets/sheet1.xml': new Uint8Array(2 * 1024 * 1024) }));
    expect(error.message).toMatch(/entry "xl\/worksheets\/sheet1\.xml" .*ratio limit/);
  });

  it('refuses DOCTYPE and ENTITY declarations in any part (XML bombs, external entities)', async () => {
    const sheet = Buffer.from(parts['xl/worksheets/sheet1.xml']!).toString('utf8');
    const withDoctype = sheet.replace('<worksheet', '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet');
    const error = await refusal(zipOf({ ...parts, 'xl/worksheets/sheet1.xml': withDoctype }));
    expect(error.message).toContain('part "xl/worksheets/sheet1.xml" declares a DOCTYPE or entities');
  });

  it('refuses a workbook without its workbook part, which exceljs fails on with a TypeError', async () => {
    const { 'xl/workbook.xml': _dropped, ...rest } = parts;
    expect((await refusal(zipOf(rest))).message).toContain('it has no workbook part (xl/workbook.xml)');
  });

  it('says what is wrong with a workbook that is not a zip', async () => {
    expect((await refusal(Buffer.from('not a workbook'))).message).toContain('the workbook is not a zip');
  });
});
