import { DEFAULT_PROJECT_ID } from '../vendor-sim.js';
import { exportVersionAt, serializeApigExport, serializeApigExportWithoutVersion, withExportVersion, APIG_EXPORT_TYPES } from './apig-export-file.js';
import { RELEASE_ENV_ID } from './apig-model.js';
import { renderApigExport } from './apig-openapi-export.js';
import { seedApig } from './seed-apig.js';

describe('splicing the export time into a cached serialization', () => {
  const apig = seedApig(5, 1, DEFAULT_PROJECT_ID);
  const document = renderApigExport(apig, { groupId: apig.listGroups()[0].id, envId: RELEASE_ENV_ID, define: 'all', oasVersion: '3.0', version: '' });
  const versions = [exportVersionAt(new Date('2025-05-04T03:02:01Z')), 'v7', '', 'a: b # c', 'say "hi" \\ there', '- 12', 'true', '0x1F', '{x}'];

  it.each(APIG_EXPORT_TYPES)('writes exactly what a full %s serialization writes', (type) => {
    const serialized = serializeApigExportWithoutVersion(document, type)!;
    expect(serialized).not.toBeNull();
    for (const version of versions) {
      const full = serializeApigExport({ ...document, info: { ...(document.info as object), version } }, type);
      expect([version, withExportVersion(serialized, version)?.toString('utf8')]).toEqual([version, full.toString('utf8')]);
    }
  });

  it('declines what it cannot write in place, so the route serializes in full', () => {
    const serialized = serializeApigExportWithoutVersion(document, 'yaml')!;
    expect(withExportVersion(serialized, 'line\nbreak')).toBeNull();
    expect(withExportVersion(serialized, '版本')).toBeNull();
    expect(serializeApigExportWithoutVersion({ ...document, info: { title: 'APIGSIMEXPORTVERSIONTOKEN' } }, 'json')).toBeNull();
  });
});
