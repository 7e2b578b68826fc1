import type { ApigState } from './apig/apig-state.js';
import { DLM_TYPES } from './dataservice/dataservice-api.js';
import type { DataServiceState } from './dataservice/dataservice-state.js';
import type { DataWorksState } from './dataworks/dataworks-state.js';
import type { DlfState } from './dlf/dlf-state.js';
import { derivedSeed, mulberry32, shuffled } from './prng.js';
import type { RomaState } from './roma/roma-state.js';

/** The vendor states an estate-wide edit touches. */
export interface MutableEstate {
  dlf: DlfState;
  dataService: DataServiceState;
  roma: RomaState;
  apig: ApigState;
  dataworks: DataWorksState;
}

export interface EstateMutation {
  /** Share of each vendor's items to change, 0..1 (0.01: one in a hundred). */
  share: number;
  /** Picks which items; the same seed on the same estate picks the same ones. Default 1. */
  seed?: number;
}

/** How many items of each vendor were changed, and in all. */
export interface EstateMutationResult {
  changed: { dlf: number; dataservice: number; roma: number; apig: number; dataworks: number };
  total: number;
}

const EDIT_MARK = / \(edit (\d+)\)$/;
/** DataService's console allows 255 characters of description; every vendor allows at least that. */
const MAX_DESCRIPTION = 255;

/**
 * The description after one more edit: "text (edit 1)", then "(edit 2)"... so that every
 * mutation is a real content change, and repeating it never grows the text past the limits.
 */
export function editedDescription(description: string): string {
  const mark = EDIT_MARK.exec(description);
  const base = mark ? description.slice(0, mark.index) : description;
  const suffix = ` (edit ${mark ? Number(mark[1]) + 1 : 1})`;
  return base.slice(0, MAX_DESCRIPTION - suffix.length) + suffix;
}

/** A seeded sample of round(share * items) items; the stream differs per vendor and part. */
function sample<T>(items: readonly T[], share: number, seed: number, part: string): T[] {
  const count = Math.round(items.length * share);
  if (count === 0) return [];
  return shuffled(mulberry32(derivedSeed(seed, part)), items).slice(0, count);
}

/**
 * A vendor-side edit of a share of the whole estate, as console users would make between two
 * backups: the description of each picked API (and DLF connection) changes, which every export
 * carries. For benchmarks ("1% of the APIs changed") and tests; served as `POST /_sim/estate/mutate`.
 */
export function mutateEstate(estate: MutableEstate, mutation: EstateMutation): EstateMutationResult {
  const { share } = mutation;
  if (typeof share !== 'number' || !Number.isFinite(share) || share < 0 || share > 1) throw new RangeError(`share must be a number from 0 to 1, got ${String(share)}`);
  const seed = mutation.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${String(seed)}`);
  const changed = { dlf: 0, dataservice: 0, roma: 0, apig: 0, dataworks: 0 };

  for (const workspace of estate.dlf.workspaces()) {
    for (const connection of sample(estate.dlf.list(workspace), share, seed, `dlf:${workspace}`)) {
      estate.dlf.upsert({ ...connection, description: editedDescription(connection.description) }, workspace);
      changed.dlf++;
    }
  }
  for (const workspace of estate.dataService.workspaces()) {
    for (const dlmType of DLM_TYPES) {
      for (const api of sample(estate.dataService.list(workspace, dlmType), share, seed, `dataservice:${workspace}:${dlmType}`)) {
        estate.dataService.upsert({ ...api, description: editedDescription(api.description) }, workspace, dlmType);
        changed.dataservice++;
      }
    }
  }
  for (const api of sample(estate.roma.apis(), share, seed, 'roma')) {
    estate.roma.patchApi(api.id, { description: editedDescription(api.description), updatedAt: new Date().toISOString() });
    changed.roma++;
  }
  for (const api of sample(estate.apig.listApis(), share, seed, 'apig')) {
    estate.apig.upsertApi({ ...api, description: editedDescription(api.description), updateTime: estate.apig.now().toISOString() });
    changed.apig++;
  }
  for (const project of estate.dataworks.listProjects()) {
    for (const api of sample(estate.dataworks.list(project.projectId), share, seed, `dataworks:${project.projectId}`)) {
      estate.dataworks.update(project.projectId, api.ApiId, { Description: editedDescription(api.Description) });
      changed.dataworks++;
    }
  }
  return { changed, total: changed.dlf + changed.dataservice + changed.roma + changed.apig + changed.dataworks };
}
