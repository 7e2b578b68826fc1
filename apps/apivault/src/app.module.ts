import { Module, type DynamicModule, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type { Logger } from 'pino';
import { createArchiveStore, EnvelopeObjectCipher, type ArchiveStore } from '#archive';
import {
  ArtifactRepository,
  CatalogHistoryRepository,
  CatalogRepository,
  CatalogSearchRepository,
  CatalogRunWriter,
  CredentialRepository,
  openDatabase,
  RunClaimRepository,
  RunRepository,
  ScheduledSlotRepository,
  SettingsRepository,
  SourceRepository,
  describeDatabase,
  type Database,
} from '#catalog';
import { defaultConnectorRegistry, type ConnectorRegistry } from '#connectors';
import { CatalogController } from './catalog/catalog.controller.js';
import { CatalogHistoryService } from './catalog/catalog-history.service.js';
import { CatalogSearchService } from './catalog/catalog-search.service.js';
import { CatalogService } from './catalog/catalog.service.js';
import { HistoryController } from './catalog/history.controller.js';
import type { AppSettings } from './config/app-settings.js';
import { APP_SETTINGS, ARCHIVE_STORE, CONNECTOR_REGISTRY, DATABASE, LOGGER, MASTER_KEY, RUN_ENGINE_SETTINGS, RUN_SCHEDULES, SECRET_BOX } from './core/tokens.js';
import { CredentialsService } from './credentials/credentials.service.js';
import { HealthController } from './health/health.controller.js';
import { BackupService } from './runs/backup.service.js';
import { ReplicaIdentity } from './runs/replica-identity.js';
import { RunDispatcher } from './runs/run-dispatcher.js';
import { RunExecutor } from './runs/run-executor.js';
import { DEFAULT_RUN_ENGINE_SETTINGS } from './runs/run-engine-settings.js';
import { SourceScheduler } from './schedules/source-scheduler.js';
import { SourceChanges } from './sources/source-changes.js';
import { HeldRunsService } from './runs/held-runs.service.js';
import { OfflineParseService } from './runs/offline-parse.service.js';
import { RunsController } from './runs/runs.controller.js';
import { RunsService } from './runs/runs.service.js';
import { InstallationSecretsService } from './secrets/installation-secrets.service.js';
import { loadMasterKey, loadPreviousMasterKeys, type MasterKey } from './secrets/master-key.js';
import { SecretBox } from './secrets/secret-box.js';
import { SourcesController } from './sources/sources.controller.js';
import { securityControllers, securityProviders } from './security-providers.js';
import { AuthGuard } from './auth/auth.guard.js';
import { SourcesService } from './sources/sources.service.js';
import { snapshotControllers, snapshotProviders } from './snapshots/snapshot-providers.js';

export interface AppModuleOptions {
  settings: AppSettings;
  logger: Logger;
  /** Tests register extra or instrumented connectors here; default: every built-in connector. */
  connectors?: ConnectorRegistry;
  /** Start the configured cron schedules (the daemon); off for CLI commands and by default. */
  schedules?: boolean;
}

/** Closes what the app opened, in order, when Nest shuts down (SIGTERM, app.close()). */
@Injectable()
class ResourceLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.archive.close();
    await this.db.close();
    this.logger.info('database closed');
  }
}

const repositories = [
  SourceRepository,
  CredentialRepository,
  RunRepository,
  ArtifactRepository,
  CatalogRepository,
  CatalogHistoryRepository,
  CatalogSearchRepository,
  SettingsRepository,
  CatalogRunWriter,
  RunClaimRepository,
  ScheduledSlotRepository,
].map(
  (Repository) => ({ provide: Repository, useFactory: (db: Database) => new Repository(db.prisma), inject: [DATABASE] }),
);

@Module({})
export class AppModule {
  static forRoot({ settings, logger, connectors, schedules = false }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [ScheduleModule.forRoot()],
      controllers: [SourcesController, RunsController, CatalogController, HistoryController, HealthController, ...snapshotControllers, ...securityControllers],
      providers: [
        { provide: APP_SETTINGS, useValue: settings },
        { provide: LOGGER, useValue: logger },
        { provide: CONNECTOR_REGISTRY, useValue: connectors ?? defaultConnectorRegistry() },
        {
          provide: DATABASE,
          useFactory: async () => {
            const db = await openDatabase(settings.database);
            try {
              const result = await db.migrate();
              logger.info({ database: describeDatabase(settings.database), applied: result.applied }, 'database ready');
              if (db.type === 'pglite') {
                // PGlite is one process's private database: a run still marked running was cut
                // off by a crash of this very service; it goes back to the queue at once instead
                // of waiting for its lease to expire. (On PostgreSQL other replicas may be alive:
                // there only an expired lease says a run was abandoned.)
                const requeued = await new RunClaimRepository(db.prisma).requeueAllRunning();
                if (requeued > 0) logger.warn({ count: requeued }, 'runs cut off by a previous crash are queued again');
              }
            } catch (error) {
              await db.close();
              throw error;
            }
            return db;
          },
        },
        {
          provide: ARCHIVE_STORE,
          useFactory: (masterKey: MasterKey) => {
            // Raw exports are encrypted at rest under a data key per object, wrapped by the master key.
            // Objects are write-once and keep the key they were written with: previous keys read them.
            const previous = loadPreviousMasterKeys({ oldKeyFile: settings.oldMasterKeyFile });
            const cipher = settings.archiveEncryption === 'none' ? undefined : new EnvelopeObjectCipher(masterKey, { previous });
            const store = createArchiveStore(settings.archive, { cipher });
            logger.info({ archive: store.description, encryption: store.encryption }, 'archive store ready');
            return store;
          },
          inject: [MASTER_KEY],
        },
        {
          provide: MASTER_KEY,
          useFactory: () => {
            const masterKey = loadMasterKey({ dataDir: settings.dataDir, production: settings.production });
            if (masterKey.generated) {
              logger.warn({ file: masterKey.origin, keyId: masterKey.id }, 'generated a new master key for the embedded default; back it up, or set APIVAULT_MASTER_KEY');
            }
            return masterKey;
          },
        },
        {
          provide: SECRET_BOX,
          // Previous keys only open: secrets sealed before a rotation stay readable until `apivault keys rotate`.
          useFactory: (masterKey: MasterKey) => new SecretBox(masterKey, loadPreviousMasterKeys({ oldKeyFile: settings.oldMasterKeyFile })),
          inject: [MASTER_KEY],
        },
        ...repositories,
        CredentialsService,
        InstallationSecretsService,
        SourcesService,
        CatalogService,
        CatalogHistoryService,
        CatalogSearchService,
        RunsService,
        HeldRunsService,
        OfflineParseService,
        { provide: RUN_SCHEDULES, useValue: schedules },
        { provide: RUN_ENGINE_SETTINGS, useValue: settings.runs ?? DEFAULT_RUN_ENGINE_SETTINGS },
        ReplicaIdentity,
        SourceChanges,
        RunExecutor,
        RunDispatcher,
        SourceScheduler,
        BackupService,
        ...snapshotProviders(),
        ...securityProviders(settings),
        { provide: APP_GUARD, useClass: AuthGuard },
        ResourceLifecycle,
      ],
      exports: [BackupService, SourcesService, CredentialsService, CatalogService, CatalogHistoryService, CatalogSearchService, RunsService, HeldRunsService, OfflineParseService, DATABASE, ARCHIVE_STORE],
    };
  }
}
