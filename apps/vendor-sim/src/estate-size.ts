import { APIG_APIS_PER_SCALE, APIG_GROUPS_PER_SCALE } from './apig/apig-estate-generator.js';
import { DATASERVICE_APIS_PER_SCALE } from './dataservice/api-generator.js';
import { DATAWORKS_APIS_PER_SCALE } from './dataworks/dataworks-generator.js';
import { DATAWORKS_PROJECT_IDS } from './dataworks/seed-dataworks.js';
import { CONNECTIONS_PER_SCALE } from './dlf/connection-generator.js';
import { LIVEDATA_APIS_PER_SCALE } from './roma/roma-generator.js';

/**
 * How `--scale` sizes the seeded estate, in one place. Every vendor's count is linear in
 * `scale` (its per-scale constant lives beside its generator, imported here); this file adds
 * them up with the same rounding the generators use, so that a scale can be chosen for a
 * target number of APIs without generating anything.
 *
 * At scale 1 (the default): DLF 16 connections, APIG 30 APIs in 3 groups, ROMA 21 custom
 * backends, DataService 40 APIs, DataWorks 50 APIs: 141 APIs. Scale 710 gives 100,110 APIs.
 */
export interface EstateSize {
  dlf: { connections: number };
  apig: { apis: number; groups: number };
  roma: { apis: number };
  dataservice: { apis: number };
  dataworks: { apis: number };
  /** Every vendor's APIs (DLF connections are not APIs). */
  apis: number;
}

const count = (perScale: number, scale: number) => Math.max(0, Math.round(perScale * scale));

/** The sizes `startVendorSim({ scale })` seeds (before any edit). */
export function estateSize(scale: number): EstateSize {
  if (!Number.isFinite(scale) || scale < 0) throw new RangeError(`scale must be a non-negative number, got ${scale}`);
  const dlf = { connections: count(CONNECTIONS_PER_SCALE, scale) + count(CONNECTIONS_PER_SCALE, scale / 3) };
  const apig = { apis: count(APIG_APIS_PER_SCALE, scale), groups: Math.max(1, count(APIG_GROUPS_PER_SCALE, scale)) };
  const roma = { apis: count(LIVEDATA_APIS_PER_SCALE, scale) };
  const editions = Object.values(DATASERVICE_APIS_PER_SCALE).flatMap((byEdition) => Object.values(byEdition));
  const dataservice = { apis: editions.reduce((sum, perScale) => sum + count(perScale, scale), 0) };
  const dataworks = { apis: DATAWORKS_PROJECT_IDS.length * count(DATAWORKS_APIS_PER_SCALE, scale) };
  return { dlf, apig, roma, dataservice, dataworks, apis: apig.apis + roma.apis + dataservice.apis + dataworks.apis };
}

/** The smallest whole scale whose estate holds at least `apis` APIs (scale 710 for 100,000). */
export function scaleForApis(apis: number): number {
  const perScale = estateSize(1).apis;
  let scale = Math.max(1, Math.floor(apis / perScale));
  while (estateSize(scale).apis < apis) scale++;
  return scale;
}
