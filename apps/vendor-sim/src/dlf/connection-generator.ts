import type { JsonObject } from '#catalog-model';
import { mulberry32, pick, randomHex, randomInt, shuffled, type Random } from '../prng.js';
import { DLF_CONNECTION_TYPES, MASKED_PASSWORD, PLANTED_SECRET_PREFIX, type DlfConnection, type DlfConnectionType } from './dlf-connection.js';

/** How an export shows a password: DLF usually masks it, may omit it, and in the worst case leaks it. */
export type PasswordExposure = 'masked' | 'absent' | 'clear';

export const CONNECTIONS_PER_SCALE = 12;

const DOMAINS = ['sales', 'finance', 'orders', 'crm', 'logistics', 'hr', 'marketing', 'iot', 'risk', 'billing'];
const ENVIRONMENTS = ['prod', 'test', 'dev', 'ods', 'dw'];
const DESCRIPTIONS = [
  '',
  'Sales data warehouse',
  '销售数据仓库',
  'ODS 层原始数据接入',
  'Finance reporting, read-only account',
  '订单中心生产库',
  'Nightly batch source',
];
const AGENTS = ['cdm-donotdelete', 'cdm-agent-01', 'cdm-agent-02', 'cdm-prod'];
const KMS_KEYS = ['kms-dlf-default', 'cdm-dlf', 'kms-dataarts-prod'];
const USERS = ['dbadmin', 'etl_user', 'report_ro', 'root', 'hive', 'spark'];

const NAME_PREFIX: Record<DlfConnectionType, string> = {
  DWS: 'dws',
  DLI: 'dli',
  SparkSQL: 'spark',
  HIVE: 'hive',
  RDS: 'rds',
  CloudTable: 'cloudtable',
  HOST: 'host',
};

/** Types whose config carries a password, and therefore an exposure decision. */
const TYPES_WITH_PASSWORD = new Set<DlfConnectionType>(['DWS', 'SparkSQL', 'HIVE', 'RDS', 'HOST']);

function privateIp(random: Random): string {
  return `192.168.${randomInt(random, 0, 255)}.${randomInt(random, 2, 254)}`;
}

function clusterName(random: Random, kind: string): string {
  return `${kind}-${pick(random, DOMAINS)}-${randomHex(random, 4)}`;
}

/** Config fields as the DLF create-connection API documents them per type; ports are strings there. */
function configFor(type: DlfConnectionType, random: Random): JsonObject {
  switch (type) {
    case 'DWS':
      return {
        clusterName: clusterName(random, 'dws'),
        ip: privateIp(random),
        port: '8000',
        userName: pick(random, USERS),
        sslEnable: random() < 0.5,
        kmsKey: pick(random, KMS_KEYS),
        agentName: pick(random, AGENTS),
      };
    case 'DLI':
      return {};
    case 'SparkSQL':
      return {
        clusterName: clusterName(random, 'mrs'),
        userName: pick(random, USERS),
        kmsKey: pick(random, KMS_KEYS),
        agentName: pick(random, AGENTS),
        sslEnable: random() < 0.5,
      };
    case 'HIVE':
      return {
        clusterName: clusterName(random, 'mrs'),
        connectionMethod: pick(random, ['agent', 'direct']),
        userName: pick(random, USERS),
        kmsKey: pick(random, KMS_KEYS),
        agentName: pick(random, AGENTS),
      };
    case 'RDS': {
      const mysql = random() < 0.6;
      return {
        ip: privateIp(random),
        port: mysql ? '3306' : '5432',
        driverName: mysql ? 'com.mysql.jdbc.Driver' : 'org.postgresql.Driver',
        userName: pick(random, USERS),
        kmsKey: pick(random, KMS_KEYS),
        agentName: pick(random, AGENTS),
        sslEnable: random() < 0.5,
      };
    }
    case 'CloudTable':
      return { clusterName: clusterName(random, 'cloudtable') };
    case 'HOST':
      return { ip: privateIp(random), port: '22', userName: pick(random, USERS), agentName: pick(random, AGENTS) };
  }
}

function withPassword(config: JsonObject, exposure: PasswordExposure, random: Random): JsonObject {
  if (exposure === 'absent') return config;
  const password = exposure === 'masked' ? MASKED_PASSWORD : `${PLANTED_SECRET_PREFIX}${randomHex(random, 12)}`;
  // Keep the field where DLF puts it: right after userName.
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = value;
    if (key === 'userName') out.password = password;
  }
  if (!('password' in out)) out.password = password;
  return out;
}

/**
 * The seeded DLF connections of one workspace: `round(12 * scale)` of them, deterministic for a
 * given seed and scale. The first seven cover every connection type, and the first three
 * password-bearing connections cover every password exposure (so scale 1 always has a password
 * in clear), in an order drawn from the seed.
 */
export function generateDlfConnections(seed: number, scale: number, namePrefix = ''): DlfConnection[] {
  const random = mulberry32(seed);
  const count = Math.max(0, Math.round(CONNECTIONS_PER_SCALE * scale));
  const firstTypes = shuffled(random, DLF_CONNECTION_TYPES);
  const firstExposures = shuffled<PasswordExposure>(random, ['clear', 'masked', 'absent']);
  const connections: DlfConnection[] = [];
  let withPasswordCount = 0;
  for (let i = 0; i < count; i++) {
    const type = i < firstTypes.length ? firstTypes[i] : pick(random, DLF_CONNECTION_TYPES);
    const name = `${namePrefix}${NAME_PREFIX[type]}_${pick(random, DOMAINS)}_${pick(random, ENVIRONMENTS)}_${String(i + 1).padStart(3, '0')}`;
    let config = configFor(type, random);
    if (TYPES_WITH_PASSWORD.has(type)) {
      const exposure = firstExposures[withPasswordCount] ?? pick(random, ['masked', 'masked', 'absent', 'clear'] as const);
      withPasswordCount++;
      config = withPassword(config, exposure, random);
    }
    connections.push({ name, type, config, description: pick(random, DESCRIPTIONS) });
  }
  return connections;
}
