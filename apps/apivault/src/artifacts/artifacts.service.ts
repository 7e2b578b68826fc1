import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { ArchiveObjectMissingError, type ArchiveStore } from '#archive';
import { ARCHIVE_STORE } from '../core/tokens.js';
import { AppError, NotFoundError } from '../http/app-errors.js';
import { ArtifactReadsRepository } from './artifact-reads.repository.js';

const RUNS_SHOWN = 20;

/** Raw exports as the vendor sent them: their metadata, and their bytes from the archive. */
@Injectable()
export class ArtifactsService {
  constructor(
    private readonly artifacts: ArtifactReadsRepository,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
  ) {}

  async metadata(sha256: string) {
    const row = await this.artifacts.findWithRuns(sha256, RUNS_SHOWN);
    if (!row) throw new NotFoundError('artifact', sha256);
    return {
      sha256: row.sha256,
      size: Number(row.size),
      contentType: row.contentType,
      storageKey: row.storageKey,
      createdAt: row.createdAt,
      /** Catalog versions parsed from it. */
      versions: row._count.versions,
      runCount: row._count.runs,
      /** The newest runs that fetched it (the same bytes may come back run after run). */
      runs: row.runs.map((r) => ({ runId: r.runId, sourceId: r.run.sourceId, status: r.run.status, name: r.name, call: r.call, fetchedAt: r.createdAt })),
    };
  }

  /** The bytes, streamed from the archive (decrypted when stored encrypted), and what to call them. */
  async content(sha256: string): Promise<{ stream: Readable; size: number; contentType: string; fileName: string }> {
    const row = await this.artifacts.findWithRuns(sha256, 1);
    if (!row) throw new NotFoundError('artifact', sha256);
    const stream = await this.archive.open(sha256).catch((error: unknown) => {
      // The catalog says the bytes were archived: their absence is damage, not a bad request.
      if (error instanceof ArchiveObjectMissingError) throw new AppError(500, 'ARCHIVE_OBJECT_MISSING', `artifact ${sha256} is recorded but missing from the archive`, { sha256 });
      throw error;
    });
    return {
      stream,
      size: Number(row.size),
      contentType: row.contentType ?? 'application/octet-stream',
      fileName: row.runs[0]?.name ?? `${sha256}.bin`,
    };
  }
}
