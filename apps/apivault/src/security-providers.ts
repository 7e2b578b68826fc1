import type { Provider } from '@nestjs/common';
import type { Database } from '#catalog';
import { AuditController } from './audit/audit.controller.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { ArtifactReadsRepository } from './artifacts/artifact-reads.repository.js';
import { ArtifactsController } from './artifacts/artifacts.controller.js';
import { ArtifactsService } from './artifacts/artifacts.service.js';
import { FAILED_AUTH_LIMITER } from './auth/auth.guard.js';
import { FailedAuthLimiter } from './auth/failed-auth-limiter.js';
import { TokensController } from './auth/tokens.controller.js';
import { TokensRepository } from './auth/tokens.repository.js';
import { TokensService } from './auth/tokens.service.js';
import type { AppSettings } from './config/app-settings.js';
import { ConfigApplierService } from './config-file/config-applier.service.js';
import { DATABASE } from './core/tokens.js';
import { CredentialAdminRepository } from './credentials/credential-admin.repository.js';
import { CredentialsController } from './credentials/credentials.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsRepository } from './metrics/metrics.repository.js';
import { MetricsService } from './metrics/metrics.service.js';
import { RunCancellation } from './run-control/run-cancellation.js';
import { RunControlController } from './run-control/run-control.controller.js';
import { RunControlService } from './run-control/run-control.service.js';
import { RunLogBook } from './run-control/run-log-book.js';
import { KeyRotationService } from './secrets/key-rotation.service.js';
import { SourceAdminRepository } from './sources/source-admin.repository.js';
import { SourceProbeService } from './sources/source-probe.service.js';

/** The admin API's resources beyond the foundation's: tokens, credentials, artifacts, run control, audit, metrics. */
export const securityControllers = [TokensController, CredentialsController, ArtifactsController, RunControlController, AuditController, MetricsController];

const repositories = [TokensRepository, AuditRepository, SourceAdminRepository, CredentialAdminRepository, ArtifactReadsRepository, MetricsRepository].map(
  (Repository) => ({ provide: Repository, useFactory: (db: Database) => new Repository(db.prisma), inject: [DATABASE] }),
);

/** Auth, audit, run control, metrics, the configuration file and key rotation, for AppModule. */
export function securityProviders(settings: AppSettings): Provider[] {
  return [
    ...repositories,
    { provide: FAILED_AUTH_LIMITER, useValue: new FailedAuthLimiter(settings.auth) },
    TokensService,
    AuditService,
    SourceProbeService,
    ArtifactsService,
    RunLogBook,
    RunCancellation,
    RunControlService,
    MetricsService,
    ConfigApplierService,
    KeyRotationService,
  ];
}
