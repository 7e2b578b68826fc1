import type { ApigAcl, ApigApi, ApigAuthorizer, ApigEnvironment, ApigGroup, ApigPublication, ApigThrottle } from './apig-model.js';

function copy<T>(value: T): T {
  return structuredClone(value);
}

function byTimeThenId<T extends { id: string }>(time: (item: T) => string) {
  return (a: T, b: T) => {
    const ta = time(a);
    const tb = time(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

export class ApigStateError extends Error {
  override readonly name = 'ApigStateError';
}

export interface ApiFilter {
  groupId?: string;
  /** Only the APIs published in this environment. */
  envId?: string;
}

/**
 * The API Gateway instance of the simulator, in memory: groups, environments, APIs, where each API
 * is published (and the policies bound there), and the instance-level policies. Tests and the
 * `/_sim/apig` control API edit it between exports; reads return copies, so a caller holding an
 * API cannot change the estate behind the simulator's back.
 */
export class ApigState {
  private readonly groups = new Map<string, ApigGroup>();
  private readonly envs = new Map<string, ApigEnvironment>();
  private readonly apis = new Map<string, ApigApi>();
  /** apiId -> envId -> publication */
  private readonly publications = new Map<string, Map<string, ApigPublication>>();
  private readonly throttles = new Map<string, ApigThrottle>();
  private readonly acls = new Map<string, ApigAcl>();
  private readonly authorizers = new Map<string, ApigAuthorizer>();
  /** Indexes, so that seeding and editing a large estate stay linear: name -> group id, group id -> API ids. */
  private readonly groupIdByName = new Map<string, string>();
  private readonly apiIdsByGroup = new Map<string, Set<string>>();
  private changes = 0;

  constructor(
    readonly instanceId: string,
    /** Stamps publications and edits made after seeding (control API, import). */
    readonly now: () => Date = () => new Date(),
  ) {}

  /** Grows on every change: a rendered export may be reused while it stays the same. */
  get revision(): number {
    return this.changes;
  }

  // Groups, in creation order (the vendor lists them so too).
  listGroups(): ApigGroup[] {
    return [...this.groups.values()].sort(byTimeThenId((g) => g.registerTime)).map(copy);
  }

  getGroup(id: string): ApigGroup | undefined {
    const group = this.groups.get(id);
    return group && copy(group);
  }

  findGroupByName(name: string): ApigGroup | undefined {
    const id = this.groupIdByName.get(name);
    return id === undefined ? undefined : this.getGroup(id);
  }

  upsertGroup(group: ApigGroup): void {
    const holder = this.groupIdByName.get(group.name);
    if (holder !== undefined && holder !== group.id) throw new ApigStateError(`the API group name ${group.name} already exists`);
    const previous = this.groups.get(group.id);
    if (previous) this.groupIdByName.delete(previous.name);
    this.groups.set(group.id, copy(group));
    this.groupIdByName.set(group.name, group.id);
    this.changes++;
  }

  /** Removes the group with every API in it. */
  removeGroup(id: string): boolean {
    const group = this.groups.get(id);
    if (!group) return false;
    this.groups.delete(id);
    this.groupIdByName.delete(group.name);
    for (const apiId of [...this.apiIdsOf(id)]) this.removeApi(apiId);
    this.apiIdsByGroup.delete(id);
    this.changes++;
    return true;
  }

  // Environments, in creation order.
  listEnvs(): ApigEnvironment[] {
    return [...this.envs.values()].sort(byTimeThenId((e) => e.createTime)).map(copy);
  }

  getEnv(id: string): ApigEnvironment | undefined {
    const env = this.envs.get(id);
    return env && copy(env);
  }

  upsertEnv(env: ApigEnvironment): void {
    const clash = [...this.envs.values()].find((e) => e.name === env.name && e.id !== env.id);
    if (clash) throw new ApigStateError(`the environment name ${env.name} already exists`);
    this.envs.set(env.id, copy(env));
    this.changes++;
  }

  /** Removes the environment and every publication in it. */
  removeEnv(id: string): boolean {
    if (!this.envs.delete(id)) return false;
    for (const byEnv of this.publications.values()) byEnv.delete(id);
    this.changes++;
    return true;
  }

  // APIs, by group, then creation order.
  listApis(filter: ApiFilter = {}): ApigApi[] {
    // Filtered before anything is copied: an export reads one group of a large estate.
    const candidates = filter.groupId === undefined ? [...this.apis.values()] : [...this.apiIdsOf(filter.groupId)].map((id) => this.apis.get(id)!);
    const selected = candidates
      .filter((api) => filter.envId === undefined || this.publications.get(api.id)?.has(filter.envId));
    const byRegistration = byTimeThenId<ApigApi>((x) => x.registerTime);
    if (filter.groupId !== undefined) return selected.sort(byRegistration).map(copy);
    const groupOrder = new Map(
      [...this.groups.values()].sort(byTimeThenId((g) => g.registerTime)).map((g, i) => [g.id, i]),
    );
    return selected.sort((a, b) => (groupOrder.get(a.groupId) ?? 0) - (groupOrder.get(b.groupId) ?? 0) || byRegistration(a, b)).map(copy);
  }

  getApi(id: string): ApigApi | undefined {
    const api = this.apis.get(id);
    return api && copy(api);
  }

  findApi(groupId: string, method: string, path: string): ApigApi | undefined {
    for (const api of this.apis.values()) {
      if (api.groupId === groupId && api.method === method && api.path === path) return copy(api);
    }
    return undefined;
  }

  /** Creates or replaces an API. Its group (and authorizer) must exist; method + path are unique in a group. */
  upsertApi(api: ApigApi): void {
    if (!this.groups.has(api.groupId)) throw new ApigStateError(`API group ${api.groupId} does not exist`);
    if (api.authType === 'AUTHORIZER' && (api.authorizerId === undefined || !this.authorizers.has(api.authorizerId))) {
      throw new ApigStateError(`custom authorizer ${api.authorizerId ?? '(none)'} does not exist`);
    }
    for (const otherId of this.apiIdsOf(api.groupId)) {
      const other = this.apis.get(otherId)!;
      if (other.id === api.id) continue;
      if (other.method === api.method && other.path === api.path) {
        throw new ApigStateError(`the group already has an API ${api.method} ${api.path} (${other.id})`);
      }
      if (other.name === api.name) throw new ApigStateError(`the group already has an API named ${api.name} (${other.id})`);
    }
    const previous = this.apis.get(api.id);
    if (previous && previous.groupId !== api.groupId) {
      this.publications.delete(api.id);
      this.apiIdsOf(previous.groupId).delete(api.id);
    }
    this.apis.set(api.id, copy(api));
    this.apiIdsOf(api.groupId).add(api.id);
    this.changes++;
  }

  removeApi(id: string): boolean {
    const api = this.apis.get(id);
    if (!api) return false;
    this.apis.delete(id);
    this.apiIdsOf(api.groupId).delete(id);
    this.publications.delete(id);
    this.changes++;
    return true;
  }

  /** The ids of a group's APIs (a live set: the index itself). */
  private apiIdsOf(groupId: string): Set<string> {
    let ids = this.apiIdsByGroup.get(groupId);
    if (!ids) {
      ids = new Set();
      this.apiIdsByGroup.set(groupId, ids);
    }
    return ids;
  }

  // Publications.
  publish(apiId: string, envId: string, bindings: { throttle?: string; acl?: string } = {}, publishId?: string): ApigPublication {
    if (!this.apis.has(apiId)) throw new ApigStateError(`API ${apiId} does not exist`);
    if (!this.envs.has(envId)) throw new ApigStateError(`environment ${envId} does not exist`);
    if (bindings.throttle !== undefined && !this.throttles.has(bindings.throttle)) throw new ApigStateError(`throttling policy ${bindings.throttle} does not exist`);
    if (bindings.acl !== undefined && !this.acls.has(bindings.acl)) throw new ApigStateError(`access control policy ${bindings.acl} does not exist`);
    let byEnv = this.publications.get(apiId);
    if (!byEnv) {
      byEnv = new Map();
      this.publications.set(apiId, byEnv);
    }
    const publication: ApigPublication = {
      apiId,
      envId,
      publishId: publishId ?? byEnv.get(envId)?.publishId ?? `${apiId.slice(0, 16)}${envId.slice(0, 16)}`,
      publishTime: this.now().toISOString(),
      ...bindings,
    };
    byEnv.set(envId, publication);
    this.changes++;
    return copy(publication);
  }

  /** Seeding: a publication with its own time. */
  restorePublication(publication: ApigPublication): void {
    this.publish(publication.apiId, publication.envId, { throttle: publication.throttle, acl: publication.acl }, publication.publishId);
    this.publications.get(publication.apiId)!.get(publication.envId)!.publishTime = publication.publishTime;
  }

  unpublish(apiId: string, envId: string): boolean {
    const removed = this.publications.get(apiId)?.delete(envId) ?? false;
    if (removed) this.changes++;
    return removed;
  }

  /** Where an API is published, in environment order. */
  publicationsOf(apiId: string): ApigPublication[] {
    const byEnv = this.publications.get(apiId);
    if (!byEnv) return [];
    return this.listEnvs()
      .map((env) => byEnv.get(env.id))
      .filter((p): p is ApigPublication => p !== undefined)
      .map(copy);
  }

  publication(apiId: string, envId: string): ApigPublication | undefined {
    const publication = this.publications.get(apiId)?.get(envId);
    return publication && copy(publication);
  }

  isPublished(apiId: string): boolean {
    return (this.publications.get(apiId)?.size ?? 0) > 0;
  }

  // Instance-level policies.
  upsertThrottle(throttle: ApigThrottle): void {
    this.throttles.set(throttle.name, copy(throttle));
    this.changes++;
  }

  getThrottle(name: string): ApigThrottle | undefined {
    const throttle = this.throttles.get(name);
    return throttle && copy(throttle);
  }

  listThrottles(): ApigThrottle[] {
    return [...this.throttles.values()].map(copy);
  }

  upsertAcl(acl: ApigAcl): void {
    this.acls.set(acl.name, copy(acl));
    this.changes++;
  }

  getAcl(name: string): ApigAcl | undefined {
    const acl = this.acls.get(name);
    return acl && copy(acl);
  }

  listAcls(): ApigAcl[] {
    return [...this.acls.values()].map(copy);
  }

  upsertAuthorizer(authorizer: ApigAuthorizer): void {
    this.authorizers.set(authorizer.id, copy(authorizer));
    this.changes++;
  }

  getAuthorizer(id: string): ApigAuthorizer | undefined {
    const authorizer = this.authorizers.get(id);
    return authorizer && copy(authorizer);
  }

  listAuthorizers(): ApigAuthorizer[] {
    return [...this.authorizers.values()].map(copy);
  }
}
