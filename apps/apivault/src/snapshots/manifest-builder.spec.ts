import { buildEvidence, renderEvidenceHtml } from './evidence-report.js';
import { buildManifest, type ManifestInput } from './manifest-builder.js';
import { serializeManifest } from './snapshot-manifest.js';
import type { CatalogState } from './snapshot-repository.js';

const S1 = '00000000-0000-4000-8000-000000000001';
const S2 = '00000000-0000-4000-8000-000000000002';
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function item(sourceId: string, externalId: string, scope = '') {
  return { id: `item-${externalId}`, sourceId, kind: 'api', externalId, name: externalId, scope, versionId: `v-${externalId}`, seq: 1, contentHash: 'c'.repeat(64), artifactSha256: A };
}

function state(items = [item(S1, 'z'), item(S1, 'a', 'group:1'), item(S2, 'm')]): CatalogState {
  return {
    sources: [
      { id: S1, name: 'apig', kind: 'huawei.apig', enabled: true },
      { id: S2, name: '<dlf>', kind: 'huawei.dataarts.dlf.connections', enabled: true },
    ],
    lastRuns: new Map([
      [S1, { id: 'run-1', sourceId: S1, status: 'partial', trigger: 'api', startedAt: new Date(0), finishedAt: new Date(1000), stats: { coverage: [{ scope: 'group:1', expected: 3, parsed: 1, failure: { code: 'SHORTFALL', message: 'short' } }, { scope: 'group:2', expected: 2, parsed: 2, failure: null }] }, error: { code: 'PARTIAL', message: '1 part failed' } }],
    ]),
    runArtifacts: new Map([['run-1', [B, A]]]),
    items,
    artifactSizes: new Map([[A, 10], [B, 20]]),
  };
}

function input(overrides: Partial<ManifestInput> = {}): ManifestInput {
  return {
    snapshotId: 'snap-1',
    scope: { id: 'all', sourceIds: null },
    sequence: 1,
    createdAt: new Date('2026-03-01T00:00:00Z'),
    trigger: 'test',
    previous: null,
    state: state(),
    objects: [
      { sha256: B, size: 20, key: `sha256/bb/bb/${B}`, status: 'missing', stored: null },
      { sha256: A, size: 10, key: `sha256/aa/aa/${A}`, status: 'ok', stored: { sha256: 'd'.repeat(64), size: 60, encryption: 'none' } },
    ],
    encryption: { format: 'none' },
    objectLock: { enabled: false, reason: 'no lock' },
    publicKeyFingerprint: 'sha256:00',
    ...overrides,
  };
}

describe('buildManifest', () => {
  it('gives the same bytes for the same state, whatever order the database returned it in', () => {
    const shuffled = state([item(S2, 'm'), item(S1, 'a', 'group:1'), item(S1, 'z')]);
    expect(serializeManifest(buildManifest(input({ state: shuffled })))).toEqual(serializeManifest(buildManifest(input())));
    const manifest = buildManifest(input());
    expect(manifest.items.map((i) => i.externalId)).toEqual(['a', 'z', 'm']);
    expect(manifest.objects.map((o) => o.sha256)).toEqual([A, B]);
  });

  it('records each source’s last run, and per part what the vendor listed, what the run parsed and what the catalog holds', () => {
    const manifest = buildManifest(input());
    expect(manifest.sources[0]).toMatchObject({
      name: 'apig',
      items: 2,
      lastRun: { id: 'run-1', status: 'partial', error: { code: 'PARTIAL', message: '1 part failed' }, artifacts: [A, B] },
      coverage: [
        { scope: 'group:1', vendorListed: 3, parsed: 1, held: 1, failure: { code: 'SHORTFALL', message: 'short' } },
        { scope: 'group:2', vendorListed: 2, parsed: 2, held: 0, failure: null },
      ],
    });
    expect(manifest.sources[1]).toMatchObject({ name: '<dlf>', items: 1, lastRun: null, coverage: null });
    expect(manifest.counts).toEqual({ sources: 2, items: 3, itemsByKind: { api: 3 }, objects: 2, objectBytes: 30, unavailableObjects: 1 });
  });
});

describe('evidence report', () => {
  const manifest = buildManifest(input());
  const evidence = buildEvidence({
    manifest,
    manifestBytes: 100,
    manifestSha256: 'e'.repeat(64),
    signature: Buffer.from('sig'),
    publicKeyPem: '-----BEGIN PUBLIC KEY-----\n',
    keys: { manifest: 'snapshots/all/x/manifest.json', signature: 'snapshots/all/x/manifest.sig', publicKey: 'snapshots/all/x/public-key.pem' },
  });

  it('lists every failure an auditor must see: failed or partial runs, part failures, shortfalls, sources never run, missing objects', () => {
    expect(evidence.failures.map((f) => [f.source, f.scope, f.code])).toEqual([
      ['apig', null, 'RUN_PARTIAL'],
      ['apig', 'group:1', 'SHORTFALL'],
      ['apig', 'group:2', 'COVERAGE_SHORTFALL'],
      ['<dlf>', null, 'NO_RUN'],
      [null, null, 'OBJECT_MISSING'],
    ]);
  });

  it('renders a self-contained page with every value escaped', () => {
    const html = renderEvidenceHtml(evidence);
    expect(html).toContain('&lt;dlf&gt;');
    expect(html).not.toContain('<dlf>');
    expect(html).toContain('5 failure(s) recorded');
    expect(html).not.toMatch(/<script|src=|href=/);
  });
});
