import { archiveConfigFromEnv } from './archive-config.js';
import { ArchiveConfigError } from './errors.js';
import { createArchiveStore } from './create-archive-store.js';

const s3 = { APIVAULT_ARCHIVE: 's3', APIVAULT_S3_BUCKET: 'apivault-archive' };

function errorFor(env: Record<string, string>): ArchiveConfigError {
  try {
    archiveConfigFromEnv(env);
  } catch (error) {
    if (error instanceof ArchiveConfigError) return error;
    throw error;
  }
  throw new Error('expected an ArchiveConfigError');
}

describe('archiveConfigFromEnv', () => {
  it('defaults to the filesystem in ./data/archive', () => {
    expect(archiveConfigFromEnv({})).toEqual({ type: 'filesystem', root: './data/archive' });
    expect(archiveConfigFromEnv({ APIVAULT_ARCHIVE: '', APIVAULT_ARCHIVE_DIR: ' ' })).toEqual({
      type: 'filesystem',
      root: './data/archive',
    });
    expect(archiveConfigFromEnv({ APIVAULT_ARCHIVE_DIR: '/srv/archive' })).toEqual({
      type: 'filesystem',
      root: '/srv/archive',
    });
  });

  it('reads every S3 option', () => {
    expect(
      archiveConfigFromEnv({
        ...s3,
        APIVAULT_S3_ENDPOINT: 'http://minio:9000',
        APIVAULT_S3_REGION: 'cn-north-4',
        APIVAULT_S3_PREFIX: '/prod/apivault/',
        APIVAULT_S3_FORCE_PATH_STYLE: 'true',
        APIVAULT_S3_CHECKSUM_MODE: 'when-supported',
        APIVAULT_S3_CONDITIONAL_WRITES: '1',
        APIVAULT_S3_ACCESS_KEY_ID: 'AKID',
        APIVAULT_S3_SECRET_ACCESS_KEY: 'secret',
      }),
    ).toEqual({
      type: 's3',
      bucket: 'apivault-archive',
      endpoint: 'http://minio:9000',
      region: 'cn-north-4',
      prefix: 'prod/apivault',
      forcePathStyle: true,
      checksumMode: 'when-supported',
      conditionalWrites: true,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
  });

  it('leaves S3 credentials to the SDK default chain when none are given', () => {
    expect(archiveConfigFromEnv(s3)).toEqual({ type: 's3', bucket: 'apivault-archive', region: 'us-east-1' });
  });

  it.each([
    [{ APIVAULT_ARCHIVE: 'ftp' }, 'APIVAULT_ARCHIVE', /one of filesystem, s3; got "ftp"/],
    [{ APIVAULT_ARCHIVE: 's3' }, 'APIVAULT_S3_BUCKET', /required when APIVAULT_ARCHIVE=s3/],
    [{ ...s3, APIVAULT_S3_BUCKET: 'Bad_Bucket' }, 'APIVAULT_S3_BUCKET', /not a valid bucket name/],
    [{ ...s3, APIVAULT_S3_ENDPOINT: 'minio:9000' }, 'APIVAULT_S3_ENDPOINT', /http or https/],
    [{ ...s3, APIVAULT_S3_ENDPOINT: 'not a url' }, 'APIVAULT_S3_ENDPOINT', /not a URL/],
    [{ ...s3, APIVAULT_S3_ENDPOINT: 'http://key:secret@minio:9000' }, 'APIVAULT_S3_ENDPOINT', /must not contain credentials/],
    [{ ...s3, APIVAULT_S3_FORCE_PATH_STYLE: 'yes please' }, 'APIVAULT_S3_FORCE_PATH_STYLE', /one of true, false/],
    [{ ...s3, APIVAULT_S3_CHECKSUM_MODE: 'always' }, 'APIVAULT_S3_CHECKSUM_MODE', /when-required, when-supported/],
    [{ ...s3, APIVAULT_S3_CONDITIONAL_WRITES: 'maybe' }, 'APIVAULT_S3_CONDITIONAL_WRITES', /one of true, false/],
    [{ ...s3, APIVAULT_S3_PREFIX: 'a/../b' }, 'APIVAULT_S3_PREFIX', /segments starting with "."/],
    [{ ...s3, APIVAULT_S3_ACCESS_KEY_ID: 'AKID' }, 'APIVAULT_S3_SECRET_ACCESS_KEY', /required when APIVAULT_S3_ACCESS_KEY_ID/],
    [{ ...s3, APIVAULT_S3_SECRET_ACCESS_KEY: 'secret' }, 'APIVAULT_S3_ACCESS_KEY_ID', /required when/],
    [{ ...s3, APIVAULT_S3_OBJECT_LOCK_MODE: 'forever' }, 'APIVAULT_S3_OBJECT_LOCK_MODE', /one of compliance, governance/],
    [{ ...s3, APIVAULT_S3_OBJECT_LOCK_MODE: 'compliance' }, 'APIVAULT_S3_OBJECT_LOCK_DAYS', /required when APIVAULT_S3_OBJECT_LOCK_MODE/],
    [{ ...s3, APIVAULT_S3_OBJECT_LOCK_DAYS: '30' }, 'APIVAULT_S3_OBJECT_LOCK_MODE', /required when APIVAULT_S3_OBJECT_LOCK_DAYS/],
    [{ ...s3, APIVAULT_S3_OBJECT_LOCK_MODE: 'governance', APIVAULT_S3_OBJECT_LOCK_DAYS: '1.5' }, 'APIVAULT_S3_OBJECT_LOCK_DAYS', /whole number of days/],
  ])('names the variable at fault in %j', (env, variable, problem) => {
    const error = errorFor(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} `)).toBe(true);
    expect(error.message).toMatch(problem);
  });

  it('reads the Object Lock retention for sealed snapshot files', () => {
    expect(archiveConfigFromEnv({ ...s3, APIVAULT_S3_OBJECT_LOCK_MODE: 'Compliance', APIVAULT_S3_OBJECT_LOCK_DAYS: '2555' })).toEqual({
      type: 's3',
      bucket: 'apivault-archive',
      region: 'us-east-1',
      objectLock: { mode: 'COMPLIANCE', days: 2555 },
    });
  });

  it('never echoes a secret in its errors', () => {
    const error = errorFor({ ...s3, APIVAULT_S3_ENDPOINT: 'http://key:hunter2@minio:9000' });
    expect(error.message).not.toContain('hunter2');
  });
});

describe('createArchiveStore', () => {
  it('builds the backend the configuration names', async () => {
    const filesystem = createArchiveStore({ type: 'filesystem', root: '/srv/archive' });
    const bucket = createArchiveStore({ type: 's3', bucket: 'b-1', region: 'us-east-1', prefix: 'p', endpoint: 'http://minio:9000' });

    expect(filesystem.description).toBe('filesystem /srv/archive');
    expect(bucket.description).toBe('s3 b-1/p/ at http://minio:9000');
    await Promise.all([filesystem.close(), bucket.close()]);
  });
});
