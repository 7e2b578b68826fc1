import { defaultConnectorRegistry } from '#connectors';
import { appSettingsFromEnv } from '../config/app-settings.js';
import { ConfigFileError, parseConfigText } from './config-file-loader.js';

const registry = defaultConnectorRegistry();

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText('/etc/apivault/apivault.yaml', text, { env, registry });
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    return error.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
  }
  throw new Error('the file was accepted');
}

const valid = `
credentials:
  huawei-prod:
    type: huawei-aksk
    accessKeyId: \${HW_AK}
    secretAccessKey: \${HW_SK}
sources:
  - name: dlf-prod
    kind: huawei.dataarts.dlf.connections
    config:
      endpoint: https://dayu-dlf.cn-north-4.myhuaweicloud.com
      projectId: 0123456789abcdef
    credential: huawei-prod
    schedule: "0 3 * * *"
  - name: dataworks
    kind: aliyun.dataworks.dataservice
    enabled: false
    config: { region: cn-shanghai, projects: [1001] }
    credential:
      type: aliyun-ak
      accessKeyId: LTAI-$\${literal}
      accessKeySecret: \${ALI_SK}
storage:
  type: s3
  bucket: apivault-archive
  endpoint: http://minio:9000
  forcePathStyle: true
  accessKeyId: \${S3_AK}
  secretAccessKey: \${S3_SK}
retention:
  snapshots: { keepLast: 5, keepDaily: 14 }
`;
const env = { HW_AK: 'AKAKAKAKAKAKAKAKAKAK', HW_SK: 'hw-secret', ALI_SK: 'ali-secret', S3_AK: 'minio', S3_SK: 'minio-secret' };

describe('apivault.yaml', () => {
  it('reads sources, credentials, schedules, storage and retention, with ${ENV} interpolation', () => {
    const { config, environment } = parseConfigText('apivault.yaml', valid, { env, registry });
    expect(config.credentials['huawei-prod']).toEqual({ type: 'huawei-aksk', accessKeyId: env.HW_AK, secretAccessKey: 'hw-secret' });
    expect(config.sources.map((s) => [s.name, s.enabled, s.schedule])).toEqual([
      ['dlf-prod', true, '0 3 * * *'],
      ['dataworks', false, undefined],
    ]);
    expect(config.sources[1]!.credential).toEqual({ type: 'aliyun-ak', accessKeyId: 'LTAI-${literal}', accessKeySecret: 'ali-secret' });
    expect(environment).toMatchObject({
      APIVAULT_ARCHIVE: 's3',
      APIVAULT_S3_BUCKET: 'apivault-archive',
      APIVAULT_S3_FORCE_PATH_STYLE: 'true',
      APIVAULT_S3_SECRET_ACCESS_KEY: 'minio-secret',
      APIVAULT_S3_PREFIX: '',
      APIVAULT_SNAPSHOT_KEEP_LAST: '5',
      APIVAULT_SNAPSHOT_KEEP_DAILY: '14',
    });
  });

  it('applies storage and retention as the settings the environment would give, the file winning', () => {
    const { environment } = parseConfigText('apivault.yaml', valid, { env, registry });
    const settings = appSettingsFromEnv({ APIVAULT_ARCHIVE: 'filesystem', APIVAULT_S3_PREFIX: 'from-env', APIVAULT_SNAPSHOT_KEEP_LAST: '99', ...environment });
    expect(settings.archive).toMatchObject({ type: 's3', bucket: 'apivault-archive', endpoint: 'http://minio:9000', forcePathStyle: true, credentials: { accessKeyId: 'minio', secretAccessKey: 'minio-secret' } });
    expect(settings.archive).not.toHaveProperty('prefix');
    expect(settings.snapshots?.retention).toMatchObject({ keepLast: 5, keepDaily: 14 });
  });

  it('points every problem at its line and column, naming the key, never the secret', () => {
    const text = [
      'sources:', //                                          1
      '  - name: dlf', //                                     2
      '    kind: huawei.dataarts.dlf.connections', //         3
      '    config:', //                                       4
      '      endpoint: ftp://nowhere', //                     5
      '    schedule: every night', //                         6
      '    colour: red', //                                   7
      '  - name: dlf', //                                     8
      '    kind: no.such.kind', //                            9
      '    config: {}', //                                   10
      'credentials:', //                                     11
      '  c1: { type: huawei-aksk, accessKeyId: "${AK}" }', // 12
    ].join('\n');
    expect(problemsOf(text)).toEqual(['12:41 : environment variable AK is not set']);
    const problems = problemsOf(text, { AK: 'TOP-SECRET-AK' });
    expect(problems).toEqual([
      expect.stringMatching(/^5:7 sources\[0\]\.config: .*endpoint: must be an http\(s\) URL; projectId: /),
      expect.stringMatching(/^6:15 sources\[0\]\.schedule: not a valid cron expression/),
      '7:5 sources[0].colour: unknown key "colour"',
      expect.stringMatching(/^9:11 sources\[1\]\.kind: unknown source kind "no.such.kind"/),
      expect.stringMatching(/^12:7 credentials\.c1\.secretAccessKey: /),
    ]);
    expect(problems.join('\n')).not.toContain('TOP-SECRET-AK');
    const twice = ['sources:', '  - { name: dlf, kind: huawei.dataarts.dlf.connections, config: { endpoint: "http://x", projectId: p } }', '  - name: dlf', '    kind: huawei.dataarts.dlf.connections', '    config: { endpoint: "http://x", projectId: p }'].join('\n');
    expect(problemsOf(twice)).toEqual(['3:11 sources[1].name: source dlf is declared twice']);
  });

  it("checks each source's connector configuration, at the source's config or kind", () => {
    const text = ['sources:', '  - name: a', '    kind: huawei.dataarts.dlf.connections', '    config:', '      endpoint: ftp://x', '  - name: b', '    kind: no.such.kind', '    config: {}'].join('\n');
    const problems = problemsOf(text);
    expect(problems[0]).toMatch(/^5:7 sources\[0\]\.config: .*endpoint.*projectId/);
    expect(problems[1]).toMatch(/^7:11 sources\[1\]\.kind: unknown source kind "no.such.kind"/);
  });

  it('reports YAML syntax errors and storage problems with their lines', () => {
    expect(problemsOf('sources: [\n  - a: b')[0]).toMatch(/^\d+:\d+ : /);
    const storage = ['storage:', '  type: s3', '  bucket: Not_A_Bucket', '  secretAccessKey: x'].join('\n');
    expect(problemsOf(storage)).toEqual(['3:11 storage.bucket: storage.bucket is not a valid bucket name: "Not_A_Bucket"']);
    expect(problemsOf('storage: { type: s3, bucket: ok-bucket, endpoint: "ftp://x" }')).toEqual([expect.stringMatching(/^1:\d+ storage\.endpoint: storage\.endpoint must be an http or https URL/)]);
  });
});
