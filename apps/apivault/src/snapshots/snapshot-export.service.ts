import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { ArchiveObjectMissingError, type ArchiveStore } from '#archive';
import { ARCHIVE_STORE } from '../core/tokens.js';
import { ConflictError, NotFoundError } from '../http/app-errors.js';
import { SNAPSHOT_FILES } from './snapshot-files.js';
import type { SnapshotManifest } from './snapshot-manifest.js';
import { SnapshotRepository } from './snapshot-repository.js';

export interface ExportResult {
  directory: string;
  files: string[];
  objects: { written: number; missing: string[] };
}

/**
 * Copies a snapshot's sealed files (and, on request, the archive objects it references, as
 * stored) into a directory, for auditors and for `scripts/verify-snapshot.mjs`, which need
 * nothing else: no apivault, no database, no decryption key.
 */
@Injectable()
export class SnapshotExportService {
  constructor(
    private readonly repository: SnapshotRepository,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
  ) {}

  async export(snapshotId: string, directory: string, options: { objects: boolean }): Promise<ExportResult> {
    const snapshot = await this.repository.findById(snapshotId);
    if (!snapshot) throw new NotFoundError('snapshot', snapshotId);
    if (snapshot.status !== 'sealed' || !snapshot.storagePrefix) throw new ConflictError('SNAPSHOT_NOT_SEALED', `snapshot ${snapshotId} is ${snapshot.status}`);
    await mkdir(directory, { recursive: true });
    const files: string[] = [];
    for (const name of Object.values(SNAPSHOT_FILES)) {
      if (!((snapshot.files ?? {}) as Record<string, string>)[name]) continue;
      await writeFile(path.join(directory, name), await this.archive.readSealed(snapshot.storagePrefix + name), { flag: 'wx' });
      files.push(name);
    }
    const objects = { written: 0, missing: [] as string[] };
    if (options.objects) {
      const manifest = JSON.parse((await this.archive.readSealed(snapshot.storagePrefix + SNAPSHOT_FILES.manifest)).toString('utf8')) as SnapshotManifest;
      for (const object of manifest.objects) {
        const target = path.join(directory, 'objects', ...object.key.split('/'));
        await mkdir(path.dirname(target), { recursive: true });
        try {
          await pipeline(await this.archive.openStored(object.sha256), createWriteStream(target, { flags: 'wx' }));
          objects.written++;
        } catch (error) {
          if (!(error instanceof ArchiveObjectMissingError)) throw error;
          objects.missing.push(object.key);
        }
      }
    }
    return { directory, files, objects };
  }
}
