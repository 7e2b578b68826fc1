import { createHash } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { pino } from 'pino';
import { SecretRedactor } from '#catalog-model';
import type { VendorCredential } from '#cloud-auth';
import type { ArchivedArtifact, ConnectorContext, ConnectorProgress } from '../../connector.js';
import { TempFiles, zipOf, type ZipFixtureEntry } from '../../test/zip-fixtures.js';

export const credential: VendorCredential = { type: 'huawei-aksk', accessKeyId: 'AK-DS-TEST', secretAccessKey: 'SK-DS-TEST-secret' };

export interface TestContext {
  ctx: ConnectorContext;
  logs: Array<Record<string, unknown>>;
  progress: ConnectorProgress[];
}

export function testContext(signal: AbortSignal = new AbortController().signal): TestContext {
  const logs: Array<Record<string, unknown>> = [];
  const progress: ConnectorProgress[] = [];
  const sink = new Writable({
    write(line: Buffer, _encoding, done) {
      logs.push(JSON.parse(line.toString()) as Record<string, unknown>);
      done();
    },
  });
  return {
    logs,
    progress,
    ctx: {
      logger: pino({ level: 'info' }, sink),
      signal,
      credential,
      redactor: new SecretRedactor(Buffer.alloc(32, 7)),
      progress: (update) => progress.push(update),
      expect: () => undefined,
      partFailed: (scope) => {
        throw new Error(`parse reports no parts, got ${scope}`);
      },
    },
  };
}

/** A workbook with the given sheets, each a list of rows (row 1 first). */
export async function xlsxOf(sheets: { name: string; rows: unknown[][] }[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const { name, rows } of sheets) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * The same with exceljs's streaming writer, as vendor-sim and large exporters write: inline
 * strings, no styles, and `xl/workbook.xml` as the last part of the zip.
 */
export async function streamedXlsxOf(sheets: { name: string; rows: unknown[][] }[]): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: false });
  for (const { name, rows } of sheets) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
  return Buffer.concat(chunks);
}

/** An export zip written to a temp file, as the run engine hands it to parse. */
export async function artifactOf(temp: TempFiles, entries: Record<string, ZipFixtureEntry>, meta: ArchivedArtifact['meta'] = { workspace: 'ws-1' }): Promise<ArchivedArtifact> {
  const zip = zipOf(entries);
  const sha256 = createHash('sha256').update(zip).digest('hex');
  return {
    name: 'DataService_APIs.zip',
    call: 'POST /v1/{project_id}/service/export/zip',
    contentType: 'application/octet-stream',
    sha256,
    size: zip.length,
    scope: 'workspace:ws-1',
    localPath: await temp.write(`ds-${sha256.slice(0, 12)}.zip`, zip),
    meta,
  };
}
