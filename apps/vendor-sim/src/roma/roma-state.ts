import {
  LIVEDATA_METHODS,
  ROMA_EXPORT_MAX_BYTES,
  LIVEDATA_PARAMETER_LOCATIONS,
  LIVEDATA_SCRIPT_TYPES,
  LIVEDATA_STATUS_CODES,
  LIVEDATA_STATUSES,
  LIVEDATA_VALUE_TYPES,
  type LiveDataApi,
  type LiveDataField,
  type RomaApp,
  type RomaExportOverflow,
  type SignatureKey,
} from './roma-model.js';

export interface LiveDataApiFilter {
  appId?: string;
  /** Numeric status (1, 3, 4). */
  statusCode?: number;
  ids?: readonly string[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Export order: by path, then method, so two exports of one estate list APIs alike. */
function exportOrder(a: LiveDataApi, b: LiveDataApi): number {
  return compare(a.path, b.path) || compare(a.method, b.method);
}

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The ROMA Connect instance's integration applications, signature keys and custom backends,
 * in memory. Reads return copies; every change bumps `version`, so rendered exports can be
 * cached until the next change. Tests and `/_sim/roma/` edit it between two backups.
 */
export class RomaState {
  private readonly appsById = new Map<string, RomaApp>();
  private readonly signaturesById = new Map<string, SignatureKey>();
  private readonly apisById = new Map<string, LiveDataApi>();
  /** Unique keys -> id: names of apps, signature keys and backends, backends' method + path. */
  private readonly appIdByName = new Map<string, string>();
  private readonly signatureIdByName = new Map<string, string>();
  private readonly apiIdByName = new Map<string, string>();
  private readonly apiIdByRoute = new Map<string, string>();
  private edits = 0;
  /** The export's size cap; tests lower it to see an export cut short. */
  exportMaxBytes = ROMA_EXPORT_MAX_BYTES;
  exportOverflow: RomaExportOverflow = 'truncate';

  constructor(readonly instanceId: string) {}

  get version(): number {
    return this.edits;
  }

  /** Applications in creation order (the listing's order). */
  apps(): RomaApp[] {
    return [...this.appsById.values()].map(copy);
  }

  app(id: string): RomaApp | undefined {
    const app = this.appsById.get(id);
    return app && copy(app);
  }

  upsertApp(app: RomaApp): void {
    for (const field of ['id', 'name', 'appKey', 'appSecret'] as const) {
      if (typeof app[field] !== 'string' || app[field] === '') throw new TypeError(`app ${field} must be a non-empty string`);
    }
    const sameName = this.appIdByName.get(app.name);
    if (sameName !== undefined && sameName !== app.id) throw new TypeError(`an app named "${app.name}" exists already (${sameName})`);
    const previous = this.appsById.get(app.id);
    if (previous) this.appIdByName.delete(previous.name);
    this.appsById.set(app.id, copy(app));
    this.appIdByName.set(app.name, app.id);
    this.edits++;
  }

  /** Removes the app and its custom backends (the console refuses while backends remain; tests need not bother). */
  removeApp(id: string): boolean {
    const app = this.appsById.get(id);
    if (!app) return false;
    this.appsById.delete(id);
    this.appIdByName.delete(app.name);
    for (const api of [...this.apisById.values()]) if (api.appId === id) this.forgetApi(api);
    this.edits++;
    return true;
  }

  signatures(): SignatureKey[] {
    return [...this.signaturesById.values()].map(copy);
  }

  signature(id: string): SignatureKey | undefined {
    const signature = this.signaturesById.get(id);
    return signature && copy(signature);
  }

  upsertSignature(signature: SignatureKey): void {
    for (const field of ['id', 'name', 'key', 'secret'] as const) {
      if (typeof signature[field] !== 'string' || signature[field] === '') throw new TypeError(`signature ${field} must be a non-empty string`);
    }
    const sameName = this.signatureIdByName.get(signature.name);
    if (sameName !== undefined && sameName !== signature.id) throw new TypeError(`a signature key named "${signature.name}" exists already`);
    const previous = this.signaturesById.get(signature.id);
    if (previous) this.signatureIdByName.delete(previous.name);
    this.signaturesById.set(signature.id, copy(signature));
    this.signatureIdByName.set(signature.name, signature.id);
    this.edits++;
  }

  /** Custom backends matching the filter, in export order. */
  apis(filter: LiveDataApiFilter = {}): LiveDataApi[] {
    const ids = filter.ids ? new Set(filter.ids) : undefined;
    return [...this.apisById.values()]
      .filter((api) => filter.appId === undefined || api.appId === filter.appId)
      .filter((api) => filter.statusCode === undefined || LIVEDATA_STATUS_CODES[api.status] === filter.statusCode)
      .filter((api) => ids === undefined || ids.has(api.id))
      .sort(exportOrder)
      .map(copy);
  }

  api(id: string): LiveDataApi | undefined {
    const api = this.apisById.get(id);
    return api && copy(api);
  }

  /** Creates or replaces a backend; refuses what the vendor would (unknown app, duplicate name or method + path). */
  upsertApi(api: LiveDataApi): void {
    assertValidApi(api);
    if (!this.appsById.has(api.appId)) throw new TypeError(`unknown app ${api.appId}`);
    if (api.signatureId !== null && !this.signaturesById.has(api.signatureId)) throw new TypeError(`unknown signature key ${api.signatureId}`);
    const sameName = this.apiIdByName.get(api.name);
    if (sameName !== undefined && sameName !== api.id) throw new TypeError(`a backend named "${api.name}" exists already (${sameName})`);
    const sameRoute = this.apiIdByRoute.get(routeOf(api));
    if (sameRoute !== undefined && sameRoute !== api.id) throw new TypeError(`${routeOf(api)} exists already (${sameRoute})`);
    const previous = this.apisById.get(api.id);
    if (previous) this.forgetApi(previous);
    this.apisById.set(api.id, copy(api));
    this.apiIdByName.set(api.name, api.id);
    this.apiIdByRoute.set(routeOf(api), api.id);
    this.edits++;
  }

  /** Merges the given fields into a backend (its id stays); returns the result. */
  patchApi(id: string, patch: Partial<Omit<LiveDataApi, 'id'>>): LiveDataApi {
    const current = this.apisById.get(id);
    if (!current) throw new TypeError(`unknown backend ${id}`);
    const next = { ...copy(current), ...copy(patch), id };
    this.upsertApi(next);
    return copy(next);
  }

  removeApi(id: string): boolean {
    const api = this.apisById.get(id);
    if (!api) return false;
    this.forgetApi(api);
    this.edits++;
    return true;
  }

  private forgetApi(api: LiveDataApi): void {
    this.apisById.delete(api.id);
    this.apiIdByName.delete(api.name);
    this.apiIdByRoute.delete(routeOf(api));
  }

  counts(): { apps: number; signatures: number; apis: number } {
    return { apps: this.appsById.size, signatures: this.signaturesById.size, apis: this.apisById.size };
  }
}

function routeOf(api: Pick<LiveDataApi, 'method' | 'path'>): string {
  return `${api.method} ${api.path}`;
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

function assertFields(fields: unknown, what: string): asserts fields is LiveDataField[] {
  if (!Array.isArray(fields)) throw new TypeError(`${what} must be an array`);
  for (const field of fields as Partial<LiveDataField>[]) {
    if (typeof field?.name !== 'string' || field.name === '') throw new TypeError(`${what}: every field needs a name`);
    if (!isOneOf(LIVEDATA_VALUE_TYPES, field.type)) throw new TypeError(`${what}: field ${field.name} has an invalid type`);
    if (typeof field.description !== 'string') throw new TypeError(`${what}: field ${field.name} needs a description string`);
  }
}

export function assertValidApi(value: unknown): asserts value is LiveDataApi {
  const api = value as Partial<LiveDataApi> | null;
  if (typeof api !== 'object' || api === null) throw new TypeError('a backend must be an object');
  if (typeof api.id !== 'string' || !/^[0-9a-f]{32}$/.test(api.id)) throw new TypeError('id must be 32 hex digits');
  if (typeof api.appId !== 'string' || api.appId === '') throw new TypeError('appId is required');
  if (typeof api.name !== 'string' || api.name.length < 3 || api.name.length > 100) throw new TypeError('name must have 3 to 100 characters');
  if (!isOneOf(LIVEDATA_METHODS, api.method)) throw new TypeError(`method must be one of ${LIVEDATA_METHODS.join(', ')}`);
  if (typeof api.path !== 'string' || !/^\/[A-Za-z0-9\-_./{}]{1,255}$/.test(api.path)) throw new TypeError('path must start with / (letters, digits, -_./ and {param})');
  if (typeof api.description !== 'string') throw new TypeError('description must be a string');
  if (typeof api.version !== 'string' || api.version.length < 2 || api.version.length > 64) throw new TypeError('version must have 2 to 64 characters');
  if (!isOneOf(LIVEDATA_STATUSES, api.status)) throw new TypeError(`status must be one of ${LIVEDATA_STATUSES.join(', ')}`);
  if (api.signatureId !== null && typeof api.signatureId !== 'string') throw new TypeError('signatureId must be a string or null');
  if (!Array.isArray(api.parameters)) throw new TypeError('parameters must be an array');
  for (const parameter of api.parameters) {
    if (typeof parameter?.name !== 'string' || parameter.name === '') throw new TypeError('every parameter needs a name');
    if (!isOneOf(LIVEDATA_PARAMETER_LOCATIONS, parameter.in)) throw new TypeError(`parameter ${parameter.name}: invalid location`);
    if (!isOneOf(LIVEDATA_VALUE_TYPES, parameter.type)) throw new TypeError(`parameter ${parameter.name}: invalid type`);
    if (typeof parameter.required !== 'boolean' || typeof parameter.description !== 'string') {
      throw new TypeError(`parameter ${parameter.name}: required (boolean) and description (string) are needed`);
    }
  }
  // Swagger 2.0 wants every {param} of the path declared as a required path parameter.
  for (const [, name] of api.path.matchAll(/\{([^}]+)\}/g)) {
    if (!api.parameters.some((p) => p.in === 'path' && p.name === name && p.required)) throw new TypeError(`path parameter {${name}} is not declared as required`);
  }
  if (api.requestBody !== null) assertFields(api.requestBody, 'requestBody');
  assertFields(api.responseFields, 'responseFields');
  if (!Array.isArray(api.scripts)) throw new TypeError('scripts must be an array');
  for (const script of api.scripts) {
    if (!isOneOf(LIVEDATA_SCRIPT_TYPES, script?.type)) throw new TypeError(`script type must be one of ${LIVEDATA_SCRIPT_TYPES.join(', ')}`);
    if (typeof script.content !== 'string' || script.content === '') throw new TypeError('script content must be a non-empty string');
    if (typeof script.result !== 'string') throw new TypeError('script result must be a string');
    if (!Array.isArray(script.datasources) || script.datasources.some((d) => typeof d !== 'string')) throw new TypeError('script datasources must be strings');
  }
  if (typeof api.createdAt !== 'string' || typeof api.updatedAt !== 'string') throw new TypeError('createdAt and updatedAt must be ISO strings');
}
