import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateDlfConnections } from './dlf/connection-generator.js';
import { DlfState } from './dlf/dlf-state.js';
import { FaultInjector } from './faults.js';
import type { LoggedRequest } from './request-log.js';
import { createVendorSimApp } from './server.js';

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
}

export interface VendorSim {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  baseUrl: string;
  projectId: string;
  /** The default credentials, for tests and the demo. */
  credentials: { accessKeyId: string; secretAccessKey: string; token: string };
  dlf: DlfState;
  faults: FaultInjector;
  /** Every vendor call answered so far (not `/_sim/` calls). */
  requests: LoggedRequest[];
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
  const faults = new FaultInjector();
  const requests: LoggedRequest[] = [];
  const app = createVendorSimApp({
    projectId,
    seed,
    dlf,
    faults,
    requestLog: requests,
    now: () => new Date(),
    auth: { accounts: new Map(accounts.map((a) => [a.accessKeyId, a.secretAccessKey])), tokens },
  });
  const server = createServer(app);
  const address = await listen(server, options.port ?? 0, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseUrl: `http://${urlHost}:${address.port}`,
    projectId,
    credentials: { accessKeyId: accounts[0].accessKeyId, secretAccessKey: accounts[0].secretAccessKey, token: tokens[0] ?? '' },
    dlf,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets (fetch keeps them) would hold close() open for seconds otherwise.
        server.closeAllConnections();
      }),
  };
}
