import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aliyunAuthConfig, randomAliyunAccount } from './aliyun/aliyun-accounts.js';
import type { AliyunAccount } from './aliyun/aliyun-auth.js';
import type { DataWorksState } from './dataworks/dataworks-state.js';
import { seedDataWorks } from './dataworks/seed-dataworks.js';
import type { ApigState } from './apig/apig-state.js';
import { seedApig } from './apig/seed-apig.js';
import { generateDlfConnections } from './dlf/connection-generator.js';
import { DlfState } from './dlf/dlf-state.js';
import type { DataServiceState, ExportLocale } from './dataservice/dataservice-state.js';
import { seedDataService } from './dataservice/seed-dataservice.js';
import { countEstate, type EstateCensus, type EstateCounts } from './estate-census.js';
import { FaultInjector, type FaultConfig } from './faults.js';
import { DEFAULT_PROJECT_NAME, randomIamUser } from './iam/default-iam-user.js';
import { IamState, type IamUser } from './iam/iam-state.js';
import type { RomaExportOverflow } from './roma/roma-model.js';
import type { RomaState } from './roma/roma-state.js';
import { seedRoma } from './roma/seed-roma.js';
import type { LoggedRequest } from './request-log.js';
import { createVendorSimApp } from './server.js';
import { clockFunction, type SimClock } from './sim-clock.js';

export interface VendorSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the control API is unauthenticated, keep it off the network. */
  host?: string;
  /** Seeds the simulated catalog; default 42. */
  seed?: number;
  /** Catalog size multiplier: DLF seeds round(12 * scale) connections; default 1. */
  scale?: number;
  /** AK/SK pairs accepted; default one random pair. The first is `credentials`. */
  accounts?: { accessKeyId: string; secretAccessKey: string }[];
  /** IAM tokens accepted as `X-Auth-Token`; default one random token. The first is `credentials.token`. */
  tokens?: string[];
  /** The only project id the vendor routes accept; default DEFAULT_PROJECT_ID. */
  projectId?: string;
  /** The project's name (a region), by which IAM tokens may be scoped too; default DEFAULT_PROJECT_NAME. */
  projectName?: string;
  /** IAM password logins: the users (default one random demo user) and the token lifetime (default 24 h; fractions allowed). */
  iam?: { users?: IamUser[]; tokenValiditySeconds?: number };
  /** ROMA Connect: the instance id and the export cap (default 50 MB, over which the export is cut as the vendor documents). */
  roma?: { instanceId?: string; exportMaxBytes?: number; exportOverflow?: RomaExportOverflow };
  /** API Gateway: the id of the dedicated instance (default DEFAULT_APIG_INSTANCE_ID). */
  apig?: { instanceId?: string };
  /** Serves the unauthenticated `/_sim/` control API; default false (it answers 404). */
  admin?: boolean;
  /** The export time: 'wall' (default), a fixed Date (byte-identical exports), or a function. */
  clock?: SimClock;
  /** Fault rules in force from the start (what `--faults file` loads); default none. */
  faults?: FaultConfig;
  /** Language of human-facing export text (DataService sheet names and headers); default 'en'. */
  locale?: ExportLocale;
  /** DataService: the one-export-per-workspace window (default 60 s) and whether its answer has Retry-After (default true). */
  dataService?: { exportWindowMs?: number; retryAfter?: boolean };
  /** Alibaba Cloud AccessKeys accepted (V3 and RPC signatures); default one random key. The first is `aliyunCredentials`. */
  aliyunAccounts?: AliyunAccount[];
}

export interface VendorSim {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  baseUrl: string;
  projectId: string;
  projectName: string;
  /** The default credentials, for tests and the demo. */
  credentials: { accessKeyId: string; secretAccessKey: string; token: string };
  dlf: DlfState;
  /** IAM users (`iam.users()[0]` is the default, for the demo) and the tokens issued to them. */
  iam: IamState;
  /** ROMA Connect: integration applications, signature keys and custom backends. */
  roma: RomaState;
  /** DataArts DataService: APIs per workspace and edition, and the export settings. */
  dataService: DataServiceState;
  /** API Gateway: groups, environments, APIs, publications and policies of one instance. */
  apig: ApigState;
  /** Alibaba DataWorks: workspaces and their DataService APIs, gateway options (list quirk, throttling). */
  dataworks: DataWorksState;
  /** The default Alibaba Cloud AccessKey, for tests and the demo. */
  aliyunCredentials: AliyunAccount;
  faults: FaultInjector;
  /** Every vendor call answered so far (not `/_sim/` calls). */
  requests: LoggedRequest[];
  /** Item counts per vendor (what `GET /_sim/estate` answers). */
  estate(): EstateCounts;
  close(): Promise<void>;
}

export const DEFAULT_PROJECT_ID = '5f3c8a1e9b2d4c7fa06e1d2b3c4a5f60';
/** DataArts workspace ids are 32 hex digits too; absent `workspace` header = this one. */
export const DEFAULT_DLF_WORKSPACE = '0833a5737480d53b2f25c010dc1a7b88';
/** A second workspace, seeded smaller, so clients can be tested on the `workspace` header. */
export const SECONDARY_DLF_WORKSPACE = 'a9c1e4f27b3d4e8c9f0a1b2c3d4e5f61';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomAlphanumeric(length: number, alphabet = ALPHANUMERIC): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** Shaped like Huawei credentials (20-character AK, 40-character SK, `MII...` token), never real ones. */
function randomCredentials() {
  return {
    accessKeyId: `SIMAK${randomAlphanumeric(15)}`,
    secretAccessKey: randomAlphanumeric(40, `${ALPHANUMERIC}abcdefghijklmnopqrstuvwxyz`),
    token: `MIISIM${randomBytes(48).toString('base64url')}`,
  };
}

function seedDlf(seed: number, scale: number): DlfState {
  const dlf = new DlfState(DEFAULT_DLF_WORKSPACE);
  for (const connection of generateDlfConnections(seed, scale)) dlf.upsert(connection);
  dlf.addWorkspace(SECONDARY_DLF_WORKSPACE);
  // A different seed stream, so the second workspace is not a copy of the first.
  for (const connection of generateDlfConnections(seed + 1, scale / 3, 'dev_')) dlf.upsert(connection, SECONDARY_DLF_WORKSPACE);
  return dlf;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the vendor simulator on node:http; resolve means it is listening. */
export async function startVendorSim(options: VendorSimOptions = {}): Promise<VendorSim> {
  const seed = options.seed ?? 42;
  const scale = options.scale ?? 1;
  const host = options.host ?? '127.0.0.1';
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const generated = randomCredentials();
  const accounts = options.accounts?.length ? options.accounts : [generated];
  const tokens = options.tokens ?? [generated.token];

  const dlf = seedDlf(seed, scale);
  const dataService = seedDataService(
    seed,
    scale,
    { primary: DEFAULT_DLF_WORKSPACE, secondary: SECONDARY_DLF_WORKSPACE },
    { locale: options.locale, ...options.dataService },
  );
  const faults = new FaultInjector(seed, options.faults);
  const projectName = options.projectName ?? DEFAULT_PROJECT_NAME;
  // Token expiry follows the wall clock, whatever export clock a test fixes.
  const iam = new IamState(options.iam?.users?.length ? options.iam.users : [randomIamUser()], options.iam?.tokenValiditySeconds);
  const roma = seedRoma(seed, scale, options.roma?.instanceId);
  if (options.roma?.exportMaxBytes !== undefined) roma.exportMaxBytes = options.roma.exportMaxBytes;
  if (options.roma?.exportOverflow !== undefined) roma.exportOverflow = options.roma.exportOverflow;
  const apig = seedApig(seed, scale, projectId, options.apig?.instanceId);
  const dataworks = seedDataWorks(seed, scale, clockFunction(options.clock));
  const aliyunAccounts = options.aliyunAccounts?.length ? options.aliyunAccounts : [randomAliyunAccount()];
  const census: EstateCensus = {
    dlf: () => ({ connections: Object.values(dlf.counts()).reduce((sum, n) => sum + n, 0), workspaces: dlf.workspaces().length }),
    dataservice: () => ({ apis: dataService.totalCount(), workspaces: dataService.workspaces().length }),
    roma: () => ({ apis: roma.counts().apis, apps: roma.counts().apps }),
    apig: () => ({ apis: apig.listApis().length, groups: apig.listGroups().length, envs: apig.listEnvs().length }),
    dataworks: () => ({ apis: dataworks.count(), projects: dataworks.listProjects().length }),
  };
  const requests: LoggedRequest[] = [];
  const app = createVendorSimApp({
    projectId,
    seed,
    dlf,
    dataService,
    faults,
    requestLog: requests,
    now: clockFunction(options.clock),
    admin: options.admin ?? false,
    census,
    auth: { accounts: new Map(accounts.map((a) => [a.accessKeyId, a.secretAccessKey])), tokens, issuedTokens: iam },
    iam,
    projectName,
    roma,
    apig,
    dataworks,
    aliyunAuth: aliyunAuthConfig(aliyunAccounts),
  });
  const server = createServer(app);
  const address = await listen(server, options.port ?? 0, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseUrl: `http://${urlHost}:${address.port}`,
    projectId,
    projectName,
    credentials: { accessKeyId: accounts[0].accessKeyId, secretAccessKey: accounts[0].secretAccessKey, token: tokens[0] ?? '' },
    dlf,
    iam,
    roma,
    dataService,
    apig,
    dataworks,
    aliyunCredentials: { ...aliyunAccounts[0] },
    faults,
    requests,
    estate: () => countEstate(census),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets (fetch keeps them) would hold close() open for seconds otherwise.
        server.closeAllConnections();
      }),
  };
}
