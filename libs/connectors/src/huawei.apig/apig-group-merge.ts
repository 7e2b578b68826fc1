import { canonicalJson, type ApiDocument, type JsonObject } from '#catalog-model';
import type { ApigOccurrence } from './apig-operation-document.js';

/** Which export an occurrence came from: an environment's `all` export, or the group's `dev` one (env null). */
export interface OccurrenceSource {
  env: { id: string; name: string } | null;
  artifactSha256: string;
}

export interface SourcedOccurrence extends ApigOccurrence {
  source: OccurrenceSource;
}

/** One API of a group, as it goes into the catalog: one document whatever the environments. */
export interface MergedApi {
  externalId: string;
  name: string;
  document: ApiDocument;
  origin: { artifactSha256: string; locator: string };
}

function compareEnvs(a: SourcedOccurrence, b: SourcedOccurrence): number {
  const [x, y] = [a.source.env!, b.source.env!];
  return x.name !== y.name ? (x.name < y.name ? -1 : 1) : x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}

/**
 * One document per API from the occurrences of every export of its group. The definition is the
 * one of the first environment (by name) the API is published in, or of the `dev` export when it
 * is published nowhere; `vendorExtras.environments` lists every environment it is published in
 * with the policies bound there (sorted by name), and carries that environment's definition only
 * when it differs from the first (an environment still serving an older publication).
 */
export function mergeApi(occurrences: SourcedOccurrence[]): MergedApi {
  const published = occurrences.filter((o) => o.source.env !== null).sort(compareEnvs);
  const development = occurrences.find((o) => o.source.env === null);
  const base = published[0] ?? development;
  if (!base) throw new Error('mergeApi: no occurrence');
  const baseKey = canonicalJson(base.definition as unknown as JsonObject);
  const differs = (o: SourcedOccurrence) => canonicalJson(o.definition as unknown as JsonObject) !== baseKey;

  const seen = new Set<string>();
  const environments: JsonObject[] = [];
  for (const occurrence of published) {
    const env = occurrence.source.env!;
    if (seen.has(env.id)) continue;
    seen.add(env.id);
    environments.push({
      id: env.id,
      name: env.name,
      ratelimit: occurrence.bindings.ratelimit,
      accessControl: occurrence.bindings.accessControl,
      ...(differs(occurrence) ? { definition: occurrence.definition as unknown as JsonObject } : {}),
    });
  }
  const vendorExtras: JsonObject = { ...base.definition.vendorExtras, environments };
  if (development && development !== base && differs(development)) vendorExtras.developmentDefinition = development.definition as unknown as JsonObject;
  return {
    externalId: base.externalId,
    name: base.name,
    document: { ...base.definition, status: published.length > 0 ? 'published' : 'unpublished', vendorExtras },
    origin: { artifactSha256: base.source.artifactSha256, locator: base.locator },
  };
}

/**
 * The exports of one group within a run, gathered until all of them have been read. A group is
 * backed up whole or not at all: merged documents come out only when every export arrived, so
 * an environment whose export failed never shows up as "unpublished from that environment".
 */
export class ApigGroupMerge {
  private readonly received = new Set<number>();
  private readonly byApi = new Map<string, SourcedOccurrence[]>();

  constructor(readonly expectedParts: number) {}

  add(part: number, occurrences: SourcedOccurrence[]): void {
    if (this.received.has(part)) throw new Error(`ApigGroupMerge: part ${part} added twice`);
    this.received.add(part);
    for (const occurrence of occurrences) {
      const list = this.byApi.get(occurrence.externalId) ?? [];
      list.push(occurrence);
      this.byApi.set(occurrence.externalId, list);
    }
  }

  get complete(): boolean {
    return this.received.size >= this.expectedParts;
  }

  /** Every API of the group, by externalId. */
  merged(): MergedApi[] {
    return [...this.byApi.keys()].sort().map((id) => mergeApi(this.byApi.get(id)!));
  }
}
