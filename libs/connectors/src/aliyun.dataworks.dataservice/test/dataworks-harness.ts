import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SecretRedactor, type CatalogEntry } from '#catalog-model';
import type { VendorCredential } from '#cloud-auth';
import type { ArchivedArtifact, ConnectorContext, ConnectorProgress, RawArtifact } from '../../connector.js';
import { TempFiles } from '../../test/zip-fixtures.js';
import type { DataWorksConfig } from '../dataworks-config.js';
import type { DataWorksConnector } from '../dataworks-connector.js';

/** A connector context that records what the connector reports. Test-only. */
export interface RecordingContext {
  ctx: ConnectorContext;
  expected: Map<string, number>;
  failed: Map<string, unknown>;
  progress: ConnectorProgress[];
  logs: Array<Record<string, unknown>>;
}

export function recordingContext(credential: VendorCredential | null): RecordingContext {
  const expected = new Map<string, number>();
  const failed = new Map<string, unknown>();
  const progress: ConnectorProgress[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(line: Buffer, _encoding, done) {
      logs.push(JSON.parse(line.toString()) as Record<string, unknown>);
      done();
    },
  });
  const ctx: ConnectorContext = {
    logger: pino({ level: 'debug' }, sink),
    signal: new AbortController().signal,
    credential,
    redactor: new SecretRedactor(Buffer.alloc(32, 5)),
    progress: (update) => progress.push(update),
    expect: (scope, count) => expected.set(scope, (expected.get(scope) ?? 0) + count),
    partFailed: (scope, error) => failed.set(scope, error),
  };
  return { ctx, expected, failed, progress, logs };
}

export interface ArchivedRun {
  artifacts: ArchivedArtifact[];
  bodies: Buffer[];
  entries: CatalogEntry[];
}

/**
 * What the run engine does with a connector: drain fetch (spooling each body to a file), then
 * parse every artifact. Throws what fetch or parse throws.
 */
export async function runConnector(connector: DataWorksConnector, config: DataWorksConfig, recording: RecordingContext, temp: TempFiles): Promise<ArchivedRun> {
  const artifacts: ArchivedArtifact[] = [];
  const bodies: Buffer[] = [];
  let n = 0;
  for await (const raw of connector.fetch(config, recording.ctx) as AsyncIterable<RawArtifact>) {
    const chunks: Buffer[] = [];
    for await (const chunk of raw.body) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    bodies.push(body);
    const sha256 = createHash('sha256').update(body).digest('hex');
    artifacts.push({
      name: raw.name,
      call: raw.call,
      contentType: raw.contentType,
      sha256,
      size: body.length,
      scope: raw.scope,
      meta: raw.meta,
      localPath: await temp.write(`${n++}-${raw.name}`, body),
    });
  }
  const entries: CatalogEntry[] = [];
  for (const artifact of artifacts) for await (const entry of connector.parse(artifact, config, recording.ctx)) entries.push(entry);
  return { artifacts, bodies, entries };
}
