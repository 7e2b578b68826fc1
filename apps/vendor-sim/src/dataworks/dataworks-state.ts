import type { AliyunThrottleLimits } from '../aliyun/aliyun-throttle.js';
import { mulberry32, type Random } from '../prng.js';
import { DETAILS_FIELD_BY_MODE, formatDataWorksTime, type DataWorksApi } from './dataworks-api.js';
import { DataWorksInputError, readApiDefinition, type DataWorksApiDefinition } from './dataworks-api-input.js';

export interface DataWorksProject {
  projectId: number;
  tenantId: number;
  /** The caller's key may not read this workspace: calls answer 403 Forbidden.Access. */
  forbidden: boolean;
}

/** ListDataServiceApis filters, as the call names them. */
export interface DataWorksApiFilter {
  apiNameKeyword?: string;
  apiPathKeyword?: string;
  creatorId?: string;
}

/**
 * How lists with exactly one element are rendered in JSON. The vendor's own response sample
 * shows `Apis` and the nested lists as a single object (an XML-to-JSON artefact: XML cannot tell
 * a list of one from an object); `object` reproduces it (the default), `array` renders real arrays.
 */
export type SingleElementLists = 'object' | 'array';

export interface DataWorksOptions {
  singleElementLists: SingleElementLists;
  /** Flow control of the simulated gateway; see AliyunThrottle. */
  throttling: AliyunThrottleLimits;
}

/** Our decision (the real quotas are not public): generous enough for the demo, low enough to reach in a test. */
export const DEFAULT_DATAWORKS_THROTTLING: Readonly<AliyunThrottleLimits> = { userPerSecond: 100, apiPerSecond: 500 };

/** What the page-shift fault did, for tests and the docs. */
export type PageShift = { kind: 'created'; api: DataWorksApi } | { kind: 'deleted'; api: DataWorksApi };

const copy = <T>(value: T): T => structuredClone(value);

const MAX_CACHED_LISTINGS = 32;

/** Listing order: newest first (descending ApiId), as the console lists them; so a created API shifts every page. */
function listingOrder(a: DataWorksApi, b: DataWorksApi): number {
  return b.ApiId - a.ApiId;
}

function includesFolded(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

/**
 * The DataWorks workspaces (projects) of the simulated tenant and their DataService APIs, in
 * memory. Reads return copies; every change bumps `version`. Tests and `/_sim/dataworks/` edit
 * it between two backups; CreateDataServiceApi and the page-shift fault edit it too.
 */
export class DataWorksState {
  private readonly projects = new Map<number, DataWorksProject>();
  private readonly apisByProject = new Map<number, Map<number, DataWorksApi>>();
  /** Project -> ApiPath -> ApiId: paths are unique in a workspace, checked on every write. */
  private readonly pathIndex = new Map<number, Map<string, number>>();
  private lastApiId: number;
  private edits = 0;
  private readonly listings = new Map<string, { version: number; apis: DataWorksApi[] }>();
  private shifts = 0;
  private readonly shiftRandom: Random;
  readonly options: DataWorksOptions = { singleElementLists: 'object', throttling: { ...DEFAULT_DATAWORKS_THROTTLING } };

  constructor(
    readonly tenantId: number,
    options: { firstApiId?: number; seed?: number; now?: () => Date } = {},
  ) {
    this.lastApiId = (options.firstApiId ?? 10_001) - 1;
    this.shiftRandom = mulberry32((options.seed ?? 42) ^ 0x5d1f7);
    this.now = options.now ?? (() => new Date());
  }

  /** The clock ModifiedTime and CreatedTime of edits come from. */
  private readonly now: () => Date;

  get version(): number {
    return this.edits;
  }

  addProject(projectId: number, options: { tenantId?: number; forbidden?: boolean } = {}): DataWorksProject {
    if (!Number.isSafeInteger(projectId) || projectId <= 0) throw new DataWorksInputError('ProjectId', 'must be a positive integer');
    const project = { projectId, tenantId: options.tenantId ?? this.tenantId, forbidden: options.forbidden ?? false };
    this.projects.set(projectId, project);
    if (!this.apisByProject.has(projectId)) this.apisByProject.set(projectId, new Map());
    if (!this.pathIndex.has(projectId)) this.pathIndex.set(projectId, new Map());
    this.edits++;
    return { ...project };
  }

  setForbidden(projectId: number, forbidden: boolean): void {
    const project = this.requireProject(projectId);
    project.forbidden = forbidden;
    this.edits++;
  }

  project(projectId: number): DataWorksProject | undefined {
    const project = this.projects.get(projectId);
    return project && { ...project };
  }

  listProjects(): DataWorksProject[] {
    return [...this.projects.values()].map((p) => ({ ...p }));
  }

  /** A project's APIs in listing order, filtered as ListDataServiceApis filters them. */
  list(projectId: number, filter: DataWorksApiFilter = {}): DataWorksApi[] {
    return this.listed(projectId, filter).map(copy);
  }

  /** One page of `list` (PageNumber from 1) and the total it is a page of. */
  page(projectId: number, filter: DataWorksApiFilter, pageNumber: number, pageSize: number): { totalCount: number; apis: DataWorksApi[] } {
    const listed = this.listed(projectId, filter);
    const start = (pageNumber - 1) * pageSize;
    return { totalCount: listed.length, apis: listed.slice(start, start + pageSize).map(copy) };
  }

  /**
   * The sorted listing, kept until the next edit: paging through a large workspace must not sort
   * it again for every page (benchmarks would measure the simulator).
   */
  private listed(projectId: number, filter: DataWorksApiFilter): DataWorksApi[] {
    const key = JSON.stringify([projectId, filter.apiNameKeyword, filter.apiPathKeyword, filter.creatorId]);
    const cached = this.listings.get(key);
    if (cached && cached.version === this.edits) return cached.apis;
    const apis = [...this.apisOf(projectId).values()]
      .filter(
        (api) =>
          (filter.apiNameKeyword === undefined || includesFolded(api.ApiName, filter.apiNameKeyword)) &&
          (filter.apiPathKeyword === undefined || includesFolded(api.ApiPath, filter.apiPathKeyword)) &&
          (filter.creatorId === undefined || api.CreatorId === filter.creatorId),
      )
      .sort(listingOrder);
    if (this.listings.size >= MAX_CACHED_LISTINGS) this.listings.clear();
    this.listings.set(key, { version: this.edits, apis });
    return apis;
  }

  get(projectId: number, apiId: number): DataWorksApi | undefined {
    const api = this.apisByProject.get(projectId)?.get(apiId);
    return api && copy(api);
  }

  count(projectId?: number): number {
    if (projectId !== undefined) return this.apisOf(projectId).size;
    let total = 0;
    for (const apis of this.apisByProject.values()) total += apis.size;
    return total;
  }

  /**
   * Adds a fully formed API; its id must be new. `trusted` (the seeded estate, freshly generated
   * and checked by the generator's tests) skips validation and copying, so that seeding 100,000
   * APIs stays a matter of seconds.
   */
  insert(api: DataWorksApi, options: { trusted?: boolean } = {}): void {
    this.apisOf(api.ProjectId);
    if (this.findApi(api.ApiId)) throw new DataWorksInputError('ApiId', `API ${api.ApiId} exists already`);
    this.assertUniquePath(api.ProjectId, api.ApiPath, api.ApiId);
    if (!options.trusted) readApiDefinition(api as unknown as Record<string, unknown>);
    this.store(options.trusted ? api : copy(api));
    this.lastApiId = Math.max(this.lastApiId, api.ApiId);
    this.edits++;
  }

  /** CreateDataServiceApi: a new id, the caller as creator, now as both timestamps. */
  create(projectId: number, input: Record<string, unknown>, creatorId: string): DataWorksApi {
    this.requireProject(projectId);
    const definition = readApiDefinition(input);
    this.assertUniquePath(projectId, definition.ApiPath);
    const time = formatDataWorksTime(this.now());
    const api = this.assemble(definition, {
      ApiId: ++this.lastApiId,
      ProjectId: projectId,
      TenantId: this.requireProject(projectId).tenantId,
      CreatorId: creatorId,
      OperatorId: creatorId,
      CreatedTime: time,
      ModifiedTime: time,
    });
    this.store(api);
    this.edits++;
    return copy(api);
  }

  /**
   * A vendor-side edit (the console): `changes` is merged over the API in the listing's shape
   * (details replace the old details whole); ModifiedTime becomes now, OperatorId the editor.
   */
  update(projectId: number, apiId: number, changes: Record<string, unknown>, operatorId?: string): DataWorksApi {
    const current = this.apisOf(projectId).get(apiId);
    if (!current) throw new DataWorksInputError('ApiId', `no API ${apiId} in project ${projectId}`);
    const merged: Record<string, unknown> = { ...current, ...changes };
    if (changes.ApiMode !== undefined && changes.ApiMode !== current.ApiMode) {
      for (const name of DETAILS_FIELD_BY_MODE) if (!(name in changes)) delete merged[name];
    }
    const definition = readApiDefinition(merged);
    this.assertUniquePath(projectId, definition.ApiPath, apiId);
    const api = this.assemble(definition, {
      ApiId: apiId,
      ProjectId: projectId,
      TenantId: current.TenantId,
      CreatorId: current.CreatorId,
      OperatorId: operatorId ?? current.OperatorId,
      CreatedTime: current.CreatedTime,
      ModifiedTime: formatDataWorksTime(this.now()),
    });
    this.pathIndex.get(projectId)!.delete(current.ApiPath);
    this.store(api);
    this.edits++;
    return copy(api);
  }

  remove(projectId: number, apiId: number): boolean {
    const api = this.apisByProject.get(projectId)?.get(apiId);
    if (!api) return false;
    this.apisByProject.get(projectId)!.delete(apiId);
    this.pathIndex.get(projectId)!.delete(api.ApiPath);
    this.edits++;
    return true;
  }

  /**
   * The page-shift fault, applied after a page was served: alternately (from the seed) creates an
   * API, which lists first and pushes every later page down by one, or deletes one of the APIs
   * just served, which pulls every later page up by one.
   */
  shiftPages(projectId: number, served: readonly DataWorksApi[]): PageShift {
    this.shifts++;
    const deleteOne = served.length > 0 && this.shiftRandom() < 0.5;
    if (deleteOne) {
      const victim = served[Math.floor(this.shiftRandom() * served.length)];
      this.remove(projectId, victim.ApiId);
      return { kind: 'deleted', api: copy(victim) };
    }
    const model = this.list(projectId)[0];
    const api = this.create(
      projectId,
      model
        ? { ...model, ApiName: `shifted_api_${this.shifts}_${this.lastApiId + 1}`, ApiPath: `/shifted/${this.lastApiId + 1}` }
        : shiftedWizardApi(this.shifts),
      model?.CreatorId ?? '0',
    );
    return { kind: 'created', api };
  }

  private assemble(definition: DataWorksApiDefinition, identity: Pick<DataWorksApi, 'ApiId' | 'ProjectId' | 'TenantId' | 'CreatorId' | 'OperatorId' | 'CreatedTime' | 'ModifiedTime'>): DataWorksApi {
    return { ...definition, ...identity };
  }

  private findApi(apiId: number): DataWorksApi | undefined {
    for (const apis of this.apisByProject.values()) {
      const api = apis.get(apiId);
      if (api) return api;
    }
    return undefined;
  }

  private store(api: DataWorksApi): void {
    this.apisOf(api.ProjectId).set(api.ApiId, api);
    this.pathIndex.get(api.ProjectId)!.set(api.ApiPath, api.ApiId);
  }

  private assertUniquePath(projectId: number, path: string, exceptId?: number): void {
    this.apisOf(projectId);
    const holder = this.pathIndex.get(projectId)!.get(path);
    if (holder !== undefined && holder !== exceptId) throw new DataWorksInputError('ApiPath', `${path} is used by API ${holder} already`);
  }

  private requireProject(projectId: number): DataWorksProject {
    const project = this.projects.get(projectId);
    if (!project) throw new DataWorksInputError('ProjectId', `no project ${projectId}`);
    return project;
  }

  private apisOf(projectId: number): Map<number, DataWorksApi> {
    const apis = this.apisByProject.get(projectId);
    if (!apis) throw new DataWorksInputError('ProjectId', `no project ${projectId}`);
    return apis;
  }
}

function shiftedWizardApi(n: number): Record<string, unknown> {
  return {
    ApiName: `shifted_api_${n}`,
    ApiPath: `/shifted/${n}`,
    ApiMode: 0,
    RequestMethod: 0,
    Timeout: 10_000,
    GroupId: 'shifted',
    Protocols: [0],
    WizardDetails: { WizardConnection: { ConnectionId: 1, TableName: 'shifted' } },
  };
}
