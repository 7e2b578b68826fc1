import { parseDataServiceApi } from './dataservice-api-schema.js';
import type { DataServiceApi, DlmType } from './dataservice-api.js';
import { ExportRateLimiter } from './export-rate-limiter.js';

/** Language of the exported workbooks' sheet names and header row. */
export type ExportLocale = 'en' | 'zh';

export const DEFAULT_EXPORT_WINDOW_MS = 60_000;

/** `Dlm-Type` absent: the shared edition (our decision; the vendor documents no default). */
export const DEFAULT_DLM_TYPE: DlmType = 'SHARED';

/** One edition of a workspace: APIs by id, and ids by name (names are unique in an edition). */
interface Edition {
  byId: Map<string, DataServiceApi>;
  idByName: Map<string, string>;
}

function newEdition(): Edition {
  return { byId: new Map(), idByName: new Map() };
}

export interface DataServiceStateOptions {
  locale?: ExportLocale;
  exportWindowMs?: number;
  /** Whether the "one export per minute" answer carries Retry-After; default true. */
  retryAfter?: boolean;
}

function byCreationThenId(a: DataServiceApi, b: DataServiceApi): number {
  return a.create_time - b.create_time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The DataService APIs of the simulator's project: per workspace, per edition (`Dlm-Type`), in
 * memory, plus the export settings tests may change between calls. Reads return copies so that
 * a caller holding an API cannot change the estate behind the simulator's back.
 */
export class DataServiceState {
  private readonly byWorkspace = new Map<string, Map<DlmType, Edition>>();
  private edits = 0;
  /** Language of the workbooks; tests flip it to check both header sets. */
  locale: ExportLocale;
  /** Whether the export-limit answer carries Retry-After. */
  retryAfter: boolean;
  readonly exportLimiter: ExportRateLimiter;

  constructor(
    readonly defaultWorkspace: string,
    options: DataServiceStateOptions = {},
  ) {
    this.locale = options.locale ?? 'en';
    this.retryAfter = options.retryAfter ?? true;
    this.exportLimiter = new ExportRateLimiter(options.exportWindowMs ?? DEFAULT_EXPORT_WINDOW_MS);
    this.addWorkspace(defaultWorkspace);
  }

  /** Bumped by every change of the estate, so that rendered exports can be cached until the next one. */
  get version(): number {
    return this.edits;
  }

  workspaces(): string[] {
    return [...this.byWorkspace.keys()];
  }

  hasWorkspace(workspace: string): boolean {
    return this.byWorkspace.has(workspace);
  }

  addWorkspace(workspace: string): void {
    if (this.byWorkspace.has(workspace)) return;
    this.byWorkspace.set(
      workspace,
      new Map<DlmType, Edition>([
        ['SHARED', newEdition()],
        ['EXCLUSIVE', newEdition()],
      ]),
    );
    this.edits++;
  }

  /** APIs by creation time, then id: the order of the export. */
  list(workspace = this.defaultWorkspace, dlmType: DlmType = DEFAULT_DLM_TYPE): DataServiceApi[] {
    return [...this.edition(workspace, dlmType).byId.values()].sort(byCreationThenId).map((api) => structuredClone(api));
  }

  get(id: string, workspace = this.defaultWorkspace, dlmType: DlmType = DEFAULT_DLM_TYPE): DataServiceApi | undefined {
    const api = this.edition(workspace, dlmType).byId.get(id);
    return api && structuredClone(api);
  }

  findByName(name: string, workspace = this.defaultWorkspace, dlmType: DlmType = DEFAULT_DLM_TYPE): DataServiceApi | undefined {
    const edition = this.edition(workspace, dlmType);
    const id = edition.idByName.get(name);
    return id === undefined ? undefined : structuredClone(edition.byId.get(id));
  }

  /**
   * Creates or replaces an API (by id); the workspace is created if needed. Names are unique in
   * an edition of a workspace, as in the console.
   */
  upsert(api: DataServiceApi, workspace = this.defaultWorkspace, dlmType: DlmType = DEFAULT_DLM_TYPE): DataServiceApi {
    const valid = parseDataServiceApi(api);
    this.addWorkspace(workspace);
    const edition = this.edition(workspace, dlmType);
    const holder = edition.idByName.get(valid.name);
    if (holder !== undefined && holder !== valid.id) {
      throw new TypeError(`an API named ${valid.name} already exists in workspace ${workspace} (${dlmType}): ${holder}`);
    }
    const previous = edition.byId.get(valid.id);
    if (previous) edition.idByName.delete(previous.name);
    edition.byId.set(valid.id, structuredClone(valid));
    edition.idByName.set(valid.name, valid.id);
    this.edits++;
    return structuredClone(valid);
  }

  remove(id: string, workspace = this.defaultWorkspace, dlmType: DlmType = DEFAULT_DLM_TYPE): boolean {
    const edition = this.byWorkspace.get(workspace)?.get(dlmType);
    const api = edition?.byId.get(id);
    if (!edition || !api) return false;
    edition.byId.delete(id);
    edition.idByName.delete(api.name);
    this.edits++;
    return true;
  }

  /** APIs in one edition of a workspace. */
  count(workspace = this.defaultWorkspace, dlmType: DlmType = DEFAULT_DLM_TYPE): number {
    return this.edition(workspace, dlmType).byId.size;
  }

  /** APIs in every workspace and edition, for `GET /_sim/estate`. */
  totalCount(): number {
    let total = 0;
    for (const editions of this.byWorkspace.values()) for (const edition of editions.values()) total += edition.byId.size;
    return total;
  }

  private edition(workspace: string, dlmType: DlmType): Edition {
    const edition = this.byWorkspace.get(workspace)?.get(dlmType);
    if (!edition) throw new Error(`DataServiceState: unknown workspace ${workspace}`);
    return edition;
  }
}
