import type { ArchiveConfig } from './archive-config.js';
import { ArchiveStore, type ArchiveStoreOptions } from './archive-store.js';
import type { ArchiveBackend } from './backends/archive-backend.js';
import { FilesystemBackend } from './backends/filesystem-backend.js';
import { S3Backend } from './backends/s3-backend.js';

export function createArchiveBackend(config: ArchiveConfig): ArchiveBackend {
  if (config.type === 'filesystem') return new FilesystemBackend({ root: config.root });
  const { type: _type, ...s3Options } = config;
  return new S3Backend(s3Options);
}

export function createArchiveStore(config: ArchiveConfig, options?: ArchiveStoreOptions): ArchiveStore {
  return new ArchiveStore(createArchiveBackend(config), options);
}
