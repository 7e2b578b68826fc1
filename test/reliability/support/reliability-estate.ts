import { startVendorSim, type VendorSim, type VendorSimOptions } from '#vendor-sim';
import { CredentialsService } from '../../../apps/apivault/src/credentials/credentials.service.js';
import { demoSources } from '../../../apps/apivault/src/demo/demo-sources.js';
import { SourcesService } from '../../../apps/apivault/src/sources/sources.service.js';
import type { TestDatabaseTarget } from '../../support/test-databases.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/** One source of the estate: the demo's, one per connector kind and auth style. */
export interface EstateSource {
  id: string;
  name: string;
  kind: string;
  config: Record<string, any>;
}

/**
 * The connectors' own rate limits (2 to 10 calls a second) are manners towards a real vendor;
 * against a local vendor-sim they would only make the scenarios slow.
 */
export const RELIABILITY_RATE_LIMIT = { perSecond: 100 };

/** A vendor-sim, an apivault over a fresh database of the target, and a source of every kind. */
export interface ReliabilityEstate {
  sim: VendorSim;
  t: TestApp;
  sources: EstateSource[];
  source(name: string): EstateSource;
  close(): Promise<void>;
}

export async function startReliabilityEstate(target: TestDatabaseTarget, simOptions: VendorSimOptions = {}): Promise<ReliabilityEstate> {
  // No export window: the suite backs DataService up far more often than once a minute.
  const sim = await startVendorSim({ port: 0, ...simOptions, dataService: { exportWindowMs: 0, ...simOptions.dataService } });
  const database = await target.create();
  const t = await startTestApp({ database: database.config });
  const sources: EstateSource[] = [];
  for (const demo of demoSources(sim)) {
    await t.app.get(CredentialsService).upsert(demo.credentialName, demo.credential);
    const config = { ...(demo.source.config as Record<string, any>), rateLimit: RELIABILITY_RATE_LIMIT };
    const source = await t.app.get(SourcesService).upsert({ ...demo.source, config });
    sources.push({ id: source.id, name: source.name, kind: source.kind, config });
  }
  return {
    sim,
    t,
    sources,
    source: (name) => {
      const found = sources.find((s) => s.name === name);
      if (!found) throw new Error(`no source ${name} in the estate (${sources.map((s) => s.name).join(', ')})`);
      return found;
    },
    close: async () => {
      await t.close();
      await sim.close();
      await database.drop();
    },
  };
}

/** Catalog items by scope: what a source holds, or what the vendor says it should hold. */
export type ItemsByScope = Map<string, Set<string>>;

function add(byScope: ItemsByScope, scope: string, externalId: string): void {
  let ids = byScope.get(scope);
  if (!ids) byScope.set(scope, (ids = new Set()));
  ids.add(externalId);
}

/**
 * What the vendor holds for a source right now, as the catalog keys it (external id, scope):
 * read from vendor-sim's state, not from any export, so that it is the truth a backup is
 * measured against.
 */
export function vendorItems(sim: VendorSim, source: EstateSource): ItemsByScope {
  const byScope: ItemsByScope = new Map();
  const { config } = source;
  switch (source.kind) {
    case 'huawei.dataarts.dlf.connections':
      for (const connection of sim.dlf.list(config.workspace)) add(byScope, '', config.workspace ? `${config.workspace}/${connection.name}` : connection.name);
      break;
    case 'huawei.dataarts.dataservice':
      for (const api of sim.dataService.list(config.workspace, config.dlmType)) add(byScope, `workspace:${config.workspace}`, api.id);
      break;
    case 'huawei.roma.livedata':
      for (const app of sim.roma.apps()) byScope.set(`app:${app.id}`, new Set());
      for (const api of sim.roma.apis()) add(byScope, `app:${api.appId}`, `${api.method} ${api.path}`);
      break;
    case 'huawei.apig':
      for (const group of sim.apig.listGroups()) byScope.set(`group:${group.id}`, new Set());
      for (const api of sim.apig.listApis()) add(byScope, `group:${api.groupId}`, `${api.groupId} ${api.method} ${api.path}`);
      break;
    case 'aliyun.dataworks.dataservice':
      for (const projectId of config.projects as number[]) {
        byScope.set(`project:${projectId}`, new Set());
        for (const api of sim.dataworks.list(projectId)) add(byScope, `project:${projectId}`, String(api.ApiId));
      }
      break;
    default:
      throw new Error(`vendorItems: no vendor listing for kind ${source.kind}`);
  }
  return byScope;
}

/** The differences between two item sets, for messages: "2 missing (a, b), 1 extra (c)". */
export function itemDifference(actual: ItemsByScope, expected: ItemsByScope): string | null {
  const flat = (byScope: ItemsByScope) => new Set([...byScope.values()].flatMap((ids) => [...ids]));
  const have = flat(actual);
  const want = flat(expected);
  const missing = [...want].filter((id) => !have.has(id));
  const extra = [...have].filter((id) => !want.has(id));
  if (missing.length === 0 && extra.length === 0) return null;
  const list = (ids: string[]) => ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', ...' : '');
  return [missing.length ? `${missing.length} missing (${list(missing)})` : '', extra.length ? `${extra.length} extra (${list(extra)})` : ''].filter(Boolean).join(', ');
}

/**
 * Vendor-side edits between two backup rounds, in every vendor: one item changed, one deleted,
 * (DLF) one created. A run that reports success without having seen them is caught by the
 * comparison with vendorItems, or by the next clean run finding changes.
 */
export function editVendorEstate(sim: VendorSim, round: number): void {
  const note = `edited before round ${round}`;

  const connections = sim.dlf.list();
  const [changed, removed] = [connections[round % connections.length]!, connections[(round + 1) % connections.length]!];
  sim.dlf.upsert({ ...changed, description: note });
  sim.dlf.upsert({ ...changed, name: `reliability_r${round}`, description: note });
  sim.dlf.remove(removed.name);

  const dataServiceApis = sim.dataService.list(undefined, 'EXCLUSIVE');
  sim.dataService.upsert({ ...dataServiceApis[0]!, description: note }, undefined, 'EXCLUSIVE');
  if (dataServiceApis.length > 4) sim.dataService.remove(dataServiceApis[dataServiceApis.length - 1]!.id, undefined, 'EXCLUSIVE');

  const romaApis = sim.roma.apis();
  sim.roma.patchApi(romaApis[0]!.id, { description: note });
  if (romaApis.length > 4) sim.roma.removeApi(romaApis[romaApis.length - 1]!.id);

  const apigApis = sim.apig.listApis();
  sim.apig.upsertApi({ ...apigApis[0]!, description: note });
  if (apigApis.length > 4) sim.apig.removeApi(apigApis[apigApis.length - 1]!.id);

  for (const project of sim.dataworks.listProjects()) {
    const apis = sim.dataworks.list(project.projectId);
    sim.dataworks.update(project.projectId, apis[0]!.ApiId, { Description: note });
    if (apis.length > 4) sim.dataworks.remove(project.projectId, apis[apis.length - 1]!.ApiId);
  }
}
