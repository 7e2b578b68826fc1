#!/usr/bin/env node
/**
 * How fast the DataService connector reads a large export, and what vendor-sim spends making it:
 * a generated export of N APIs (one workspace edition, workbooks of 200), rendered cold (exceljs)
 * and warm (cached workbooks stamped with a new export time), then read by exceljs alone (every
 * row, nothing mapped) and by the connector's parse (rows mapped, redacted, checked).
 *
 *   npm run build && node bench/dataservice-parse.mjs [--apis 20000]
 *
 * Prints one JSON object; docs/catalog-model/huawei.dataarts.dataservice.md records a run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { SecretRedactor } from '#catalog-model';
import { DataServiceConnector, readXlsxSheets, readZipEntries } from '#connectors';
import { generateDataServiceApis, renderExportTemplates, stampExportWorkbooks, zipWorkbooks } from '#vendor-sim';

const { values } = parseArgs({ options: { apis: { type: 'string', default: '20000' } } });
const count = Number(values.apis);
const dir = mkdtempSync(path.join(os.tmpdir(), 'ds-bench-'));
const seconds = (ms) => ms / 1000;

try {
  const apis = generateDataServiceApis({ seed: 1, count, dlmType: 'EXCLUSIVE' }).sort((a, b) => a.create_time - b.create_time);

  let started = performance.now();
  const templates = await renderExportTemplates(apis, 'en');
  const renderColdMs = performance.now() - started;
  started = performance.now();
  const zip = zipWorkbooks(stampExportWorkbooks(templates, new Date()), new Date());
  const renderWarmMs = performance.now() - started;
  const file = path.join(dir, 'DataService_APIs.zip');
  writeFileSync(file, zip);

  started = performance.now();
  let rows = 0;
  let cells = 0;
  for await (const entry of readZipEntries(file)) {
    for await (const sheet of readXlsxSheets(await entry.openStream(), { artifact: 'bench', entry: entry.name, maxSheetBytes: 2 ** 30 })) {
      for await (const row of sheet.rows) {
        rows++;
        cells += row.cells.length;
      }
    }
  }
  const exceljsMs = performance.now() - started;

  const connector = new DataServiceConnector();
  const config = connector.validateConfig({ endpoint: 'https://dayu.example.com', projectId: 'p', workspace: 'w' });
  const ctx = {
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    credential: null,
    redactor: new SecretRedactor(Buffer.alloc(32, 1)),
    progress: () => undefined,
    expect: () => undefined,
    partFailed: () => undefined,
  };
  const artifact = { name: 'DataService_APIs.zip', call: 'bench', sha256: '0'.repeat(64), size: zip.length, localPath: file, scope: 'workspace:w', meta: { workspace: 'w' } };
  started = performance.now();
  let entries = 0;
  for await (const _entry of connector.parse(artifact, config, ctx)) entries++;
  const parseMs = performance.now() - started;
  if (entries !== count) throw new Error(`parsed ${entries} of ${count} APIs`);

  process.stdout.write(
    `${JSON.stringify({
      apis: count,
      workbooks: templates.length,
      zipBytes: zip.length,
      simRenderColdMs: Math.round(renderColdMs),
      simRenderWarmMs: Math.round(renderWarmMs),
      exceljsRowsPerSecond: Math.round(rows / seconds(exceljsMs)),
      exceljsCellsPerSecond: Math.round(cells / seconds(exceljsMs)),
      parseMs: Math.round(parseMs),
      parseApisPerSecond: Math.round(entries / seconds(parseMs)),
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
