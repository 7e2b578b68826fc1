import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3BackendOptions } from '../src/index.js';

/** One write s3rver performed: a PutObject, CopyObject or DeleteObject, on a bucket and key. */
export interface S3rverWrite {
  operation: string;
  bucket: string;
  key: string;
}

/** s3rver's fixed development credentials. */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * An s3rver 3.7 running in this process on a free port, storing objects as plain files under
 * `directory`, which lets tests tamper with stored bytes behind the S3 API.
 */
export class S3rverHarness {
  /** Every object write and delete the server performed, in order (its S3 event notifications). */
  readonly writes: S3rverWrite[] = [];

  private constructor(
    private readonly server: S3rver,
    readonly directory: string,
    readonly endpoint: string,
  ) {
    server.on('event', (event) => {
      for (const record of event.Records) {
        this.writes.push({ operation: record.eventName, bucket: record.s3.bucket.name, key: decodeURIComponent(record.s3.object.key) });
      }
    });
  }

  static async start(): Promise<S3rverHarness> {
    const directory = await mkdtemp(join(tmpdir(), 'apivault-s3rver-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
    const { port } = await server.run();
    return new S3rverHarness(server, directory, `http://127.0.0.1:${port}`);
  }

  options(bucket: string, extra: Partial<S3BackendOptions> = {}): S3BackendOptions {
    return {
      endpoint: this.endpoint,
      region: 'us-east-1',
      bucket,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      ...extra,
    };
  }

  async createBucket(bucket: string): Promise<void> {
    const client = this.client();
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    } finally {
      client.destroy();
    }
  }

  /** A raw SDK client with the given checksum setting, bypassing the archive backend. */
  client(checksumSetting: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED' = 'WHEN_REQUIRED'): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      requestChecksumCalculation: checksumSetting,
      responseChecksumValidation: checksumSetting,
    });
  }

  /** Where s3rver keeps the bytes of an object (its filesystem store layout). */
  objectPath(bucket: string, objectKey: string): string {
    const segments = objectKey.split('/');
    const name = segments.pop();
    return join(this.directory, bucket, ...segments, `${name}._S3rver_object`);
  }

  async stop(): Promise<void> {
    await this.server.close();
    await rm(this.directory, { recursive: true, force: true });
  }
}
