import { NestFactory } from '@nestjs/core';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ConnectorRegistry } from '#connectors';
import { AppModule } from '../app.module.js';
import type { AppSettings } from '../config/app-settings.js';
import { ErrorFilter } from '../http/error-filter.js';
import { configureAdminApi } from './admin-api.js';
import { NestPinoLogger } from '../logging/nest-pino-logger.js';

export interface BootOptions {
  settings: AppSettings;
  logger: Logger;
  connectors?: ConnectorRegistry;
  /** Close on SIGINT/SIGTERM (default). Off when the caller owns more than the app (demo). */
  shutdownHooks?: boolean;
  /** Start the configured schedules (snapshots, verification); the daemon's default, never the CLI's. */
  schedules?: boolean;
}

/** The daemon: every module plus the admin REST API. The caller decides when to listen. */
export async function createHttpApp({ settings, logger, connectors, shutdownHooks = true, schedules = true }: BootOptions): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot({ settings, logger, connectors, schedules }), {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  app.useGlobalFilters(new ErrorFilter(logger));
  configureAdminApi(app, settings);
  if (shutdownHooks) app.enableShutdownHooks();
  return app;
}

/** The same modules without HTTP, for CLI commands: they call the services directly. */
export async function createCliContext({ settings, logger, connectors }: BootOptions): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(AppModule.forRoot({ settings, logger, connectors }), {
    logger: new NestPinoLogger(logger.child({ context: 'nest' })),
    abortOnError: false,
  });
}
