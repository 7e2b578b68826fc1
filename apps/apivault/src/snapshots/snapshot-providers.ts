import type { Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppSettings } from '../config/app-settings.js';
import { APP_SETTINGS, DATABASE, LOGGER } from '../core/tokens.js';
import type { Database } from '#catalog';
import { loadSigningKey } from './signing-key.js';
import { SnapshotExportService } from './snapshot-export.service.js';
import { SnapshotPrunerService } from './snapshot-pruner.service.js';
import { SnapshotRepository } from './snapshot-repository.js';
import { SnapshotRetentionService } from './snapshot-retention.service.js';
import { SnapshotScheduler } from './snapshot-scheduler.js';
import { DEFAULT_SNAPSHOT_SETTINGS } from './snapshot-settings.js';
import { SNAPSHOT_SETTINGS, SNAPSHOT_SIGNING_KEY } from './snapshot-tokens.js';
import { SnapshotVerifierService } from './snapshot-verifier.service.js';
import { SnapshotService } from './snapshot.service.js';
import { SnapshotsController } from './snapshots.controller.js';

export const snapshotControllers = [SnapshotsController];

export const snapshotServices = [SnapshotService, SnapshotVerifierService, SnapshotPrunerService, SnapshotRetentionService, SnapshotExportService];

/** Everything the snapshot feature needs, for AppModule (which provides RUN_SCHEDULES). */
export function snapshotProviders(): Provider[] {
  return [
    {
      provide: SNAPSHOT_SETTINGS,
      useFactory: (settings: AppSettings) => settings.snapshots ?? DEFAULT_SNAPSHOT_SETTINGS,
      inject: [APP_SETTINGS],
    },
    {
      // Loaded at start: in production a missing key stops the service with a clear error.
      provide: SNAPSHOT_SIGNING_KEY,
      useFactory: (settings: AppSettings, logger: Logger) => {
        const key = loadSigningKey({ dataDir: settings.dataDir, production: settings.production });
        if (key.generated) {
          logger.warn({ file: key.origin, fingerprint: key.fingerprint }, 'generated a snapshot signing key for the embedded default; back it up, or set APIVAULT_SNAPSHOT_SIGNING_KEY');
        }
        return key;
      },
      inject: [APP_SETTINGS, LOGGER],
    },
    { provide: SnapshotRepository, useFactory: (db: Database) => new SnapshotRepository(db.prisma), inject: [DATABASE] },
    ...snapshotServices,
    SnapshotScheduler,
  ];
}
