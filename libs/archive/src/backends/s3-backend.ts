import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ArchiveError,
  ArchiveIntegrityError,
  ArchiveObjectMissingError,
  ArchiveUnavailableError,
} from '../errors.js';
import type {
  ArchiveBackend,
  ArchiveObjectListing,
  ArchiveObjectStat,
  ObjectLockMode,
  ObjectLockSupport,
  WriteOnceOptions,
  WriteOnceOutcome,
} from './archive-backend.js';
import { assertValidListPrefix, assertValidObjectKey } from './object-key.js';

export type S3ChecksumMode = 'when-required' | 'when-supported';

export interface S3BackendOptions {
  /** Omit for AWS itself; e.g. http://minio:9000 for a self-hosted store. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Key prefix inside the bucket, so one bucket can hold several archives. */
  prefix?: string;
  /** MinIO and most self-hosted stores need path-style URLs (http://host/bucket/key). */
  forcePathStyle?: boolean;
  /** Omitted: the SDK's default chain (environment, profile, instance role...). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * 'when-required' (default) sends no flexible checksums: with the SDK's newer default, a
   * streamed PutObject goes out `aws-chunked`, and stores that do not understand it (s3rver,
   * several S3-compatible services) silently keep the chunk framing inside the object.
   * 'when-supported' is for stores known to implement flexible checksums (AWS S3, MinIO).
   */
  checksumMode?: S3ChecksumMode;
  /** Send `If-None-Match: *` on PutObject (atomic write-once). Off by default: older stores reject it. */
  conditionalWrites?: boolean;
  /**
   * Retention for sealed objects (snapshot manifests and evidence) on a bucket created with
   * Object Lock. Used only when the bucket reports Object Lock enabled; see objectLock().
   */
  objectLock?: { mode: ObjectLockMode; days: number };
}

/** A streamed body cannot be replayed by the SDK's own retries, so writeOnce retries itself. */
const PUT_ATTEMPTS = 3;
const PUT_RETRY_BASE_DELAY_MS = 250;
/** Outside the listed namespace: object-key.ts reserves segments starting with '.'. */
const WRITE_PROBE_KEY = '.apivault/write-probe';
const WRITE_PROBE_BODY = Buffer.from('apivault write probe\n');

/**
 * Archive in an S3-compatible bucket. Without conditional writes, write-once is HeadObject
 * then PutObject: two writers racing on the same content key both write identical bytes,
 * which is harmless for content-addressed objects; any other case is caught by the size check
 * after the write and by the store's verification.
 */
export class S3Backend implements ArchiveBackend {
  readonly description: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly checksumMode: S3ChecksumMode;
  private readonly conditionalWrites: boolean;
  private readonly lockSettings: S3BackendOptions['objectLock'];
  private writeProbed = false;

  constructor(options: S3BackendOptions) {
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix);
    this.checksumMode = options.checksumMode ?? 'when-required';
    this.conditionalWrites = options.conditionalWrites ?? false;
    this.lockSettings = options.objectLock;
    const checksumSetting = this.checksumMode === 'when-supported' ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED';
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      requestChecksumCalculation: checksumSetting,
      responseChecksumValidation: checksumSetting,
    });
    const location = options.endpoint ? `at ${displayEndpoint(options.endpoint)}` : `in AWS ${options.region}`;
    this.description = `s3 ${this.bucket}/${this.prefix} ${location}`;
  }

  async stat(key: string): Promise<ArchiveObjectStat | null> {
    const size = await this.headSize(this.objectKeyOf(key), key);
    return size === null ? null : { size };
  }

  async writeOnce(key: string, localFile: string, size: number, sha256: string, options: WriteOnceOptions = {}): Promise<WriteOnceOutcome> {
    const objectKey = this.objectKeyOf(key);
    for (let attempt = 1; ; attempt++) {
      // Checked again before each retry: a failed attempt may still have stored the object.
      if ((await this.headSize(objectKey, key)) !== null) return 'exists';
      try {
        await this.putObject(objectKey, localFile, size, sha256, options);
        break;
      } catch (error) {
        if (this.conditionalWrites && httpStatusOf(error) === 412) return 'exists';
        if (attempt >= PUT_ATTEMPTS || !isTransient(error)) throw storageFailure('PutObject', key, error);
        await delay(PUT_RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
      }
    }
    const storedSize = await this.headSize(objectKey, key);
    if (storedSize === null) throw new ArchiveError(`s3 PutObject ${key} succeeded but the object is not there`);
    if (storedSize !== size) throw new ArchiveIntegrityError(key, sha256, undefined, size, storedSize);
    return 'created';
  }

  async openRead(key: string): Promise<Readable> {
    const objectKey = this.objectKeyOf(key);
    let body: unknown;
    try {
      ({ Body: body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey })));
    } catch (error) {
      if (isNotFound(error)) throw new ArchiveObjectMissingError(key);
      throw storageFailure('GetObject', key, error);
    }
    if (!(body instanceof Readable)) throw new ArchiveError(`s3 GetObject ${key} returned no Node.js stream`);
    return body;
  }

  async *list(prefix = ''): AsyncIterable<ArchiveObjectListing> {
    assertValidListPrefix(prefix);
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: this.prefix + prefix });
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || !object.Key.startsWith(this.prefix)) continue;
        const key = object.Key.slice(this.prefix.length);
        if (key.split('/').some((segment) => segment.startsWith('.'))) continue;
        yield { key, size: object.Size ?? 0 };
      }
    }
  }

  /** Used only by snapshot pruning (see ArchiveBackend.delete). A locked object is refused by the store. */
  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKeyOf(key) }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw storageFailure('DeleteObject', key, error);
    }
  }

  /**
   * Asks the bucket (GetObjectLockConfiguration). Stores that do not implement Object Lock
   * answer 501 or 405 (s3rver, some gateways); a bucket created without it answers 404.
   * Retention is applied with the configured mode and period, else the bucket's default rule.
   */
  async objectLock(): Promise<ObjectLockSupport> {
    let configuration;
    try {
      ({ ObjectLockConfiguration: configuration } = await this.client.send(new GetObjectLockConfigurationCommand({ Bucket: this.bucket })));
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 501 || status === 405 || (error instanceof Error && error.name === 'NotImplemented')) {
        return { enabled: false, reason: `the store does not implement S3 Object Lock (GetObjectLockConfiguration answered ${messageOf(error)})` };
      }
      if (status === 404 || (error instanceof Error && error.name === 'ObjectLockConfigurationNotFoundError')) {
        return { enabled: false, reason: `bucket ${this.bucket} has no Object Lock configuration (Object Lock must be enabled when the bucket is created)` };
      }
      return { enabled: false, reason: `the Object Lock configuration of bucket ${this.bucket} could not be read: ${messageOf(error)}` };
    }
    if (configuration?.ObjectLockEnabled !== 'Enabled') {
      return { enabled: false, reason: `Object Lock is not enabled on bucket ${this.bucket}` };
    }
    if (this.lockSettings) return { enabled: true, mode: this.lockSettings.mode, retentionDays: this.lockSettings.days, source: 'configured' };
    const rule = configuration.Rule?.DefaultRetention;
    const days = rule?.Days ?? (rule?.Years === undefined ? undefined : rule.Years * 365);
    if (rule?.Mode && days) return { enabled: true, mode: rule.Mode, retentionDays: days, source: 'bucket-default' };
    return {
      enabled: false,
      reason: `bucket ${this.bucket} has Object Lock enabled but no default retention, and APIVAULT_S3_OBJECT_LOCK_MODE is not set`,
    };
  }

  /**
   * HeadBucket on every call (reachability, credentials, bucket); a real write only on the
   * first success, because probes run every few seconds and on versioned or Object Lock
   * buckets each write would leave another retained version behind.
   */
  async checkWritable(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      if (!this.writeProbed) {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.prefix + WRITE_PROBE_KEY,
            Body: WRITE_PROBE_BODY,
            ContentLength: WRITE_PROBE_BODY.length,
          }),
        );
        this.writeProbed = true;
      }
    } catch (error) {
      throw new ArchiveUnavailableError(`${this.description} is not writable: ${messageOf(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private objectKeyOf(key: string): string {
    assertValidObjectKey(key);
    return this.prefix + key;
  }

  private async headSize(objectKey: string, key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw storageFailure('HeadObject', key, error);
    }
  }

  private async putObject(objectKey: string, localFile: string, size: number, sha256: string, options: WriteOnceOptions): Promise<void> {
    const { retention } = options;
    // S3 requires an integrity header on writes under Object Lock; sealed objects are small.
    const contentMd5 = retention ? createHash('md5').update(await readFile(localFile)).digest('base64') : undefined;
    const body = createReadStream(localFile);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          Body: body,
          ContentLength: size,
          ContentType: 'application/octet-stream',
          Metadata: { sha256 },
          // A checksum known up front goes in a header, so the SDK does not fall back to an
          // aws-chunked body with a trailing checksum; a store that supports it verifies it.
          ChecksumSHA256: this.checksumMode === 'when-supported' ? Buffer.from(sha256, 'hex').toString('base64') : undefined,
          IfNoneMatch: this.conditionalWrites ? '*' : undefined,
          ContentMD5: contentMd5,
          ObjectLockMode: retention?.mode,
          ObjectLockRetainUntilDate: retention?.retainUntil,
        }),
      );
    } finally {
      // An unconsumed stream would otherwise keep its file descriptor until garbage collection.
      body.destroy();
    }
  }
}

function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  assertValidObjectKey(trimmed);
  return `${trimmed}/`;
}

/** Scheme, host and path only: an endpoint URL may carry user:password. */
function displayEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(invalid endpoint)';
  }
}

function httpStatusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isNotFound(error: unknown): boolean {
  return (
    httpStatusOf(error) === 404 ||
    (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey'))
  );
}

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

function isTransient(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined) return status >= 500 || status === 429 || status === 408;
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? String(error.code) : '';
  return TRANSIENT_NETWORK_CODES.has(code) || error.name === 'TimeoutError';
}

function storageFailure(operation: string, key: string, error: unknown): Error {
  if (error instanceof ArchiveError) return error;
  return new ArchiveError(`s3 ${operation} ${key} failed: ${messageOf(error)}`, { cause: error });
}

/** SDK errors for HEAD requests have no body, hence often no message: add name and status. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = httpStatusOf(error);
  const detail = error.message && error.message !== error.name ? `: ${error.message}` : '';
  return `${error.name}${status === undefined ? '' : ` (HTTP ${status})`}${detail}`;
}
