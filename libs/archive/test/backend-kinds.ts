import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemBackend, S3Backend, type ArchiveBackend } from '../src/index.js';
import { S3rverHarness } from './s3rver-harness.js';

/** A backend in a namespace of its own, plus where its bytes live on disk for tampering. */
export interface BackendUnderTest {
  backend: ArchiveBackend;
  storedPath(key: string): string;
  /** Files the backend left outside its listed namespace (temp files), where it has any. */
  strayFiles(): Promise<string[]>;
}

export interface BackendKind {
  name: string;
  /** The s3rver behind an S3 kind (for request events and raw access); undefined otherwise. */
  s3rver?(): S3rverHarness;
  setUp(): Promise<void>;
  create(): Promise<BackendUnderTest>;
  tearDown(): Promise<void>;
}

export const filesystemKind = (): BackendKind => {
  let base = '';
  return {
    name: 'filesystem',
    async setUp() {
      base = await mkdtemp(join(tmpdir(), 'apivault-archive-fs-'));
    },
    async create() {
      const root = join(base, randomUUID());
      return {
        backend: new FilesystemBackend({ root }),
        storedPath: (key) => join(root, ...key.split('/')),
        strayFiles: async () => readdir(join(root, '.tmp')).catch(() => []),
      };
    },
    async tearDown() {
      await rm(base, { recursive: true, force: true });
    },
  };
};

export const s3Kind = (): BackendKind => {
  const bucket = 'apivault-archive';
  let s3rver: S3rverHarness;
  return {
    name: 's3 (s3rver)',
    s3rver: () => s3rver,
    async setUp() {
      s3rver = await S3rverHarness.start();
      await s3rver.createBucket(bucket);
    },
    async create() {
      const prefix = `run-${randomUUID()}`;
      return {
        backend: new S3Backend(s3rver.options(bucket, { prefix })),
        storedPath: (key) => s3rver.objectPath(bucket, `${prefix}/${key}`),
        strayFiles: async () => [],
      };
    },
    async tearDown() {
      await s3rver?.stop();
    },
  };
};

