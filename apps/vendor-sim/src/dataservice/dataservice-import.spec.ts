import ExcelJS from 'exceljs';
import { DEFAULT_DLF_WORKSPACE, SECONDARY_DLF_WORKSPACE, startVendorSim, type VendorSim } from '../vendor-sim.js';
import { MAX_IMPORT_FILE_BYTES } from './import-route.js';
import { exportedIds, exportZip, importExcel, sheetsOf, zipOf } from './test/dataservice-client.js';

const WS = DEFAULT_DLF_WORKSPACE;

async function editWorkbook(xlsx: Uint8Array, edit: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
  edit(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('DataService import over HTTP', () => {
  let sim: VendorSim;

  beforeAll(async () => {
    sim = await startVendorSim({ seed: 21, dataService: { exportWindowMs: 0 } });
  });
  afterAll(() => sim.close());

  async function onlyWorkbook(workspace: string, dlmType: string): Promise<Uint8Array> {
    const zip = await zipOf(await exportZip(sim, { workspace, dlmType }));
    return Object.values(zip)[0];
  }

  it('imports another workspace export: the APIs appear in the next export, with new ids', async () => {
    const source = sim.dataService.list(SECONDARY_DLF_WORKSPACE, 'EXCLUSIVE');
    const before = sim.dataService.list(WS, 'EXCLUSIVE').map((a) => a.id);
    const response = await importExcel(sim, await onlyWorkbook(SECONDARY_DLF_WORKSPACE, 'EXCLUSIVE'), { workspace: WS, dlmType: 'EXCLUSIVE' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ job_id: expect.stringMatching(/^[0-9a-f]{32}$/) });

    const after = sim.dataService.list(WS, 'EXCLUSIVE');
    expect(after).toHaveLength(before.length + source.length);
    const imported = after.filter((api) => !before.includes(api.id));
    expect(imported.map((a) => a.name).sort()).toEqual(source.map((a) => a.name).sort());
    for (const api of imported) {
      const original = source.find((s) => s.name === api.name)!;
      expect(api.id).not.toBe(original.id);
      expect({ ...api, id: '', status: '', create_time: 0, update_time: 0 }).toEqual({ ...original, id: '', status: '', create_time: 0, update_time: 0 });
      expect(api.status).toBe('API_STATUS_CREATED');
    }
    expect(await exportedIds(await zipOf(await exportZip(sim, { workspace: WS, dlmType: 'EXCLUSIVE' })))).toEqual(after.map((a) => a.id).sort());

    // Importing the same file again updates those APIs instead of duplicating them.
    await importExcel(sim, await onlyWorkbook(SECONDARY_DLF_WORKSPACE, 'EXCLUSIVE'), { workspace: WS, dlmType: 'EXCLUSIVE' });
    expect(sim.dataService.count(WS, 'EXCLUSIVE')).toBe(after.length);
  });

  it('updates an existing API by id from an edited workbook, in either locale', async () => {
    const target = sim.dataService.list(WS, 'SHARED')[0];
    for (const locale of ['en', 'zh'] as const) {
      sim.dataService.locale = locale;
      const description = `edited in ${locale}`;
      const edited = await editWorkbook(await onlyWorkbook(WS, 'SHARED'), (workbook) => {
        workbook.eachSheet((sheet) => {
          const header = (sheet.getRow(1).values as unknown[]).map(String);
          const idColumn = header.indexOf(locale === 'en' ? 'API ID' : 'API编号');
          const descriptionColumn = header.indexOf(locale === 'en' ? 'Description' : '描述');
          sheet.eachRow((row) => {
            if (row.getCell(idColumn).value === target.id) row.getCell(descriptionColumn).value = description;
          });
        });
      });
      expect((await importExcel(sim, edited, { workspace: WS })).status).toBe(200);
      expect(sim.dataService.get(target.id, WS, 'SHARED')).toMatchObject({ description, name: target.name, status: target.status });
      const { sheets } = await sheetsOf(await onlyWorkbook(WS, 'SHARED'));
      const idHeader = locale === 'en' ? 'API ID' : 'API编号';
      const row = sheets.flatMap((s) => s.rows).find((r) => r[idHeader] === target.id)!;
      expect(row[locale === 'en' ? 'Description' : '描述']).toBe(description);
    }
    sim.dataService.locale = 'en';
  });

  it.each([
    ['no workspace header', async () => importExcel(sim, new Uint8Array([1]), {}), 400, 'DLS.1000'],
    ['no file field', async () => importExcel(sim, new Uint8Array([1]), { workspace: WS, field: 'upload' }), 400, 'DLS.1002'],
    ['a file that is not a workbook', async () => importExcel(sim, new TextEncoder().encode('name,path\n'), { workspace: WS }), 400, 'DLS.1002'],
    ['a file of 4 MB or more', async () => importExcel(sim, new Uint8Array(MAX_IMPORT_FILE_BYTES), { workspace: WS }), 400, 'DLS.1002'],
  ])('refuses %s and changes nothing', async (_name, call, status, code) => {
    const before = sim.dataService.version;
    const response = await call();
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error_code: code });
    expect(sim.dataService.version).toBe(before);
  });

  it('refuses a workbook with an invalid row, naming it, and imports none of its rows', async () => {
    const before = sim.dataService.version;
    const edited = await editWorkbook(await onlyWorkbook(WS, 'SHARED'), (workbook) => {
      const sheet = workbook.worksheets[0];
      const header = (sheet.getRow(1).values as unknown[]).map(String);
      sheet.getRow(3).getCell(header.indexOf('Protocol')).value = 'PROTOCOL_TYPE_FTP';
    });
    const response = await importExcel(sim, edited, { workspace: WS });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error_code: 'DLS.1002', error_msg: expect.stringMatching(/row 3: .*protocol/) });
    expect(sim.dataService.version).toBe(before);
  });
});
