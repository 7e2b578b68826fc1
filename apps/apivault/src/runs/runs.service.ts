import { Injectable } from '@nestjs/common';
import { ArtifactRepository, RunRepository, type RunStatus } from '#catalog';
import { CatalogService } from '../catalog/catalog.service.js';
import { NotFoundError } from '../http/app-errors.js';
import { toRunView } from './run-view.js';

/** Reads of runs: lists, and one run with its artifacts and the changes it made. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunRepository,
    private readonly artifacts: ArtifactRepository,
    private readonly catalog: CatalogService,
  ) {}

  async list(filter: { sourceId?: string; status?: RunStatus; limit: number; before?: Date }) {
    const rows = await this.runs.list({ ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit).map(toRunView);
    return { items: page, nextCursor: rows.length > filter.limit ? page[page.length - 1]!.createdAt.toISOString() : null };
  }

  async get(id: string) {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFoundError('run', id);
    const [artifacts, changes] = await Promise.all([this.artifacts.listForRun(id), this.catalog.changesOfRun(id)]);
    return {
      ...toRunView(run),
      artifacts: artifacts.map((a) => ({ name: a.name, call: a.call, sha256: a.artifactSha256, size: Number(a.artifact.size), storageKey: a.artifact.storageKey, contentType: a.artifact.contentType })),
      changes,
    };
  }
}
