import type { SnapshotManifest } from './snapshot-manifest.js';

export const EVIDENCE_FORMAT = 'apivault.snapshot.evidence/v1';

export interface EvidenceFailure {
  sourceId: string | null;
  source: string | null;
  scope: string | null;
  code: string;
  message: string;
}

/** For auditors: what a snapshot holds, what went wrong, and how to check it without apivault. */
export interface EvidenceReport {
  format: typeof EVIDENCE_FORMAT;
  snapshot: { id: string; scopeId: string; sourceIds: string[] | null; sequence: number; createdAt: string; trigger: string };
  manifest: { key: string; sha256: string; bytes: number; encoding: string };
  signature: { algorithm: 'Ed25519'; key: string; base64: string; publicKeyKey: string; publicKeyFingerprint: string; publicKeyPem: string };
  chain: { previousSnapshotId: string; previousSequence: number; previousManifestSha256: string; previousCreatedAt: string } | null;
  counts: SnapshotManifest['counts'];
  sources: {
    id: string;
    name: string;
    kind: string;
    items: number;
    lastRun: { id: string; status: string; finishedAt: string | null; error: string | null } | null;
    coverage: { scope: string; vendorListed: number | null; parsed: number; held: number; failure: string | null }[] | null;
  }[];
  failures: EvidenceFailure[];
  objectLock: SnapshotManifest['archive']['objectLock'];
  encryption: SnapshotManifest['archive']['encryption'];
  digests: { manifestSha256: string; objects: { sha256: string; storedSha256: string | null; size: number; status: string }[] };
  howToVerify: { steps: string[]; commands: string[] };
}

export interface EvidenceInput {
  manifest: SnapshotManifest;
  manifestBytes: number;
  manifestSha256: string;
  signature: Buffer;
  publicKeyPem: string;
  keys: { manifest: string; signature: string; publicKey: string };
}

export function buildEvidence({ manifest, manifestBytes, manifestSha256, signature, publicKeyPem, keys }: EvidenceInput): EvidenceReport {
  return {
    format: EVIDENCE_FORMAT,
    snapshot: {
      id: manifest.snapshotId,
      scopeId: manifest.scope.id,
      sourceIds: manifest.scope.sourceIds,
      sequence: manifest.sequence,
      createdAt: manifest.createdAt,
      trigger: manifest.trigger,
    },
    manifest: { key: keys.manifest, sha256: manifestSha256, bytes: manifestBytes, encoding: 'canonical JSON (keys sorted, no whitespace), UTF-8' },
    signature: {
      algorithm: 'Ed25519',
      key: keys.signature,
      base64: signature.toString('base64'),
      publicKeyKey: keys.publicKey,
      publicKeyFingerprint: manifest.signing.publicKeyFingerprint,
      publicKeyPem,
    },
    chain: manifest.previous
      ? {
          previousSnapshotId: manifest.previous.snapshotId,
          previousSequence: manifest.previous.sequence,
          previousManifestSha256: manifest.previous.manifestSha256,
          previousCreatedAt: manifest.previous.createdAt,
        }
      : null,
    counts: manifest.counts,
    sources: manifest.sources.map((source) => ({
      id: source.id,
      name: source.name,
      kind: source.kind,
      items: source.items,
      lastRun: source.lastRun
        ? { id: source.lastRun.id, status: source.lastRun.status, finishedAt: source.lastRun.finishedAt, error: source.lastRun.error?.message ?? null }
        : null,
      coverage: source.coverage?.map((part) => ({ ...part, failure: part.failure ? `${part.failure.code}: ${part.failure.message}` : null })) ?? null,
    })),
    failures: failuresOf(manifest),
    objectLock: manifest.archive.objectLock,
    encryption: manifest.archive.encryption,
    digests: {
      manifestSha256,
      objects: manifest.objects.map((o) => ({ sha256: o.sha256, storedSha256: o.stored?.sha256 ?? null, size: o.size, status: o.status })),
    },
    howToVerify: howToVerify(keys),
  };
}

/** Everything an auditor should look at twice: failed or partial runs, shortfalls, missing objects. */
export function failuresOf(manifest: SnapshotManifest): EvidenceFailure[] {
  const failures: EvidenceFailure[] = [];
  for (const source of manifest.sources) {
    const at = { sourceId: source.id, source: source.name };
    if (!source.lastRun) {
      failures.push({ ...at, scope: null, code: 'NO_RUN', message: 'the source has never been backed up' });
      continue;
    }
    if (source.lastRun.status !== 'succeeded') {
      failures.push({
        ...at,
        scope: null,
        code: `RUN_${source.lastRun.status.toUpperCase()}`,
        message: `the last run ${source.lastRun.id} ended ${source.lastRun.status}${source.lastRun.error ? `: ${source.lastRun.error.message}` : ''}`,
      });
    }
    for (const part of source.coverage ?? []) {
      if (part.failure) failures.push({ ...at, scope: part.scope, code: part.failure.code, message: part.failure.message });
      else if (part.vendorListed !== null && part.held < part.vendorListed) {
        failures.push({ ...at, scope: part.scope, code: 'COVERAGE_SHORTFALL', message: `the vendor lists ${part.vendorListed} item(s) in ${part.scope || 'the source'}; the catalog holds ${part.held}` });
      }
    }
  }
  for (const object of manifest.objects) {
    if (object.status !== 'ok') {
      failures.push({ sourceId: null, source: null, scope: null, code: `OBJECT_${object.status.toUpperCase()}`, message: `archive object ${object.key} was ${object.status} when the snapshot was sealed` });
    }
  }
  return failures;
}

function howToVerify(keys: EvidenceInput['keys']): EvidenceReport['howToVerify'] {
  const base = (key: string) => key.slice(key.lastIndexOf('/') + 1);
  return {
    steps: [
      `Fetch ${base(keys.manifest)}, ${base(keys.signature)} and ${base(keys.publicKey)} from the archive (${keys.manifest.slice(0, keys.manifest.lastIndexOf('/') + 1)}).`,
      'Compare the public key fingerprint with the one published by the operator (GET /api/v1/snapshots/public-key), never only with the copy stored beside the manifest.',
      'Check the Ed25519 signature over the exact bytes of manifest.json.',
      'Check that sha256(manifest.json) equals the manifest digest above and, for the next snapshot of the scope, its "previous.manifestSha256" (the hash chain).',
      'Optionally, hash archive objects (sha256/ab/cd/<sha256>) and compare with "objects[].stored.sha256" (bytes as stored, encrypted or not) or "objects[].sha256" (the content).',
    ],
    commands: [
      `openssl pkeyutl -verify -pubin -inkey ${base(keys.publicKey)} -rawin -in ${base(keys.manifest)} -sigfile ${base(keys.signature)}`,
      `sha256sum ${base(keys.manifest)}`,
      `node scripts/verify-snapshot.mjs --manifest ${base(keys.manifest)} --signature ${base(keys.signature)} --public-key ${base(keys.publicKey)} [--objects <archive root>]`,
    ],
  };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(value: unknown): string {
  return String(value ?? '—').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function table(headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p class="none">none</p>';
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A self-contained page (no scripts, no external resources) an auditor can open or print. */
export function renderEvidenceHtml(report: EvidenceReport): string {
  const lock = report.objectLock.enabled
    ? `${report.objectLock.mode} until ${report.objectLock.retainUntil} (${report.objectLock.source})`
    : `not available: ${report.objectLock.reason}`;
  const verdict = report.failures.length === 0 ? '<p class="ok">No failures recorded.</p>' : `<p class="bad">${report.failures.length} failure(s) recorded; see below.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>apivault snapshot ${esc(report.snapshot.id)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}code,pre,.mono{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}
.ok{color:#176f2c}.bad{color:#a11}.none{color:#777}dt{font-weight:600}dd{margin:0 0 .5rem 0}</style></head>
<body>
<h1>Compliance snapshot evidence</h1>
${verdict}
<h2>Snapshot</h2>
<dl>
<dt>Snapshot id</dt><dd class="mono">${esc(report.snapshot.id)}</dd>
<dt>Taken at (UTC)</dt><dd>${esc(report.snapshot.createdAt)}</dd>
<dt>Scope</dt><dd>${esc(report.snapshot.scopeId)}${report.snapshot.sourceIds ? ` (sources ${esc(report.snapshot.sourceIds.join(', '))})` : ' (the whole catalog)'}</dd>
<dt>Sequence in scope</dt><dd>${esc(report.snapshot.sequence)}</dd>
<dt>Trigger</dt><dd>${esc(report.snapshot.trigger)}</dd>
<dt>Previous snapshot (hash chain)</dt><dd class="mono">${report.chain ? `${esc(report.chain.previousSnapshotId)} (#${esc(report.chain.previousSequence)}, ${esc(report.chain.previousCreatedAt)}), manifest sha256 ${esc(report.chain.previousManifestSha256)}` : 'none: first snapshot of this scope'}</dd>
</dl>
<h2>Counts</h2>
${table(['sources', 'items', 'items by kind', 'archive objects', 'object bytes', 'unavailable objects'], [[report.counts.sources, report.counts.items, Object.entries(report.counts.itemsByKind).map(([k, n]) => `${k}: ${n}`).join(', '), report.counts.objects, report.counts.objectBytes, report.counts.unavailableObjects]])}
<h2>Sources and coverage</h2>
${table(
  ['source', 'kind', 'items held', 'last run', 'status', 'finished', 'error'],
  report.sources.map((s) => [s.name, s.kind, s.items, s.lastRun?.id, s.lastRun?.status ?? 'never run', s.lastRun?.finishedAt, s.lastRun?.error]),
)}
${table(
  ['source', 'part', 'vendor listed', 'parsed in last run', 'held', 'failure'],
  report.sources.flatMap((s) => (s.coverage ?? []).map((p) => [s.name, p.scope || '(whole source)', p.vendorListed ?? 'not reported', p.parsed, p.held, p.failure])),
)}
<h2>Failures</h2>
${table(['source', 'part', 'code', 'message'], report.failures.map((f) => [f.source, f.scope, f.code, f.message]))}
<h2>Integrity</h2>
<dl>
<dt>Manifest</dt><dd class="mono">${esc(report.manifest.key)} (${esc(report.manifest.bytes)} bytes, ${esc(report.manifest.encoding)})</dd>
<dt>Manifest SHA-256</dt><dd class="mono">${esc(report.manifest.sha256)}</dd>
<dt>Signature (Ed25519, base64)</dt><dd class="mono">${esc(report.signature.base64)}</dd>
<dt>Public key fingerprint</dt><dd class="mono">${esc(report.signature.publicKeyFingerprint)}</dd>
<dt>Public key</dt><dd><pre>${esc(report.signature.publicKeyPem)}</pre></dd>
<dt>Object Lock</dt><dd>${esc(lock)}</dd>
<dt>Archive encryption at rest</dt><dd>${esc(report.encryption.format)}${report.encryption.keyId ? ` (master key ${esc(report.encryption.keyId)})` : ''}</dd>
</dl>
<h2>Archive objects</h2>
${table(['content sha256', 'stored sha256', 'bytes', 'status at sealing'], report.digests.objects.map((o) => [o.sha256, o.storedSha256, o.size, o.status]))}
<h2>How to verify independently</h2>
<ol>${report.howToVerify.steps.map((step) => `<li>${esc(step)}</li>`).join('')}</ol>
<pre>${report.howToVerify.commands.map(esc).join('\n')}</pre>
<p>openssl prints "Signature Verified Successfully" and exits 0 when the manifest is intact; any changed byte makes it fail.
<code>scripts/verify-snapshot.mjs</code> needs only Node.js (node:crypto), no apivault code.</p>
</body></html>
`;
}
