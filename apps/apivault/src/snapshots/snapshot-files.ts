/**
 * Where a snapshot's sealed files live in the archive. Each snapshot gets a folder of its own,
 * named by scope, time and manifest hash, so no key is ever written twice.
 */
export const SNAPSHOT_FILES = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  publicKey: 'public-key.pem',
  evidenceJson: 'evidence.json',
  evidenceHtml: 'evidence.html',
} as const;

export type SnapshotFileName = (typeof SNAPSHOT_FILES)[keyof typeof SNAPSHOT_FILES];

export const SNAPSHOTS_PREFIX = 'snapshots/';

/** e.g. `snapshots/all/20261123T020000.000Z-3f2a9c1b04d5e6f7/` */
export function snapshotPrefix(scopeId: string, createdAt: Date, manifestSha256: string): string {
  const stamp = createdAt.toISOString().replace(/[-:]/g, '');
  return `${SNAPSHOTS_PREFIX}${scopeId}/${stamp}-${manifestSha256.slice(0, 16)}/`;
}
