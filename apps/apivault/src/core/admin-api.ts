import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { auditRecorder } from '../audit/audit-recorder.js';
import { AuditService } from '../audit/audit.service.js';
import type { AppSettings } from '../config/app-settings.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { setupOpenApi } from '../openapi/openapi-document.js';

/**
 * What the HTTP app adds around the controllers: the client address as the rate limit and audit
 * see it, the audit recorder ahead of every route, process metrics, and the OpenAPI document
 * with its UI at /docs. Called before the app initializes, so the recorder precedes the routes.
 */
export function configureAdminApi(app: INestApplication, settings: AppSettings): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', settings.trustProxy ?? false);
  express.use(auditRecorder(app.get(AuditService)));
  app.get(MetricsService).collectProcessMetrics();
  setupOpenApi(app);
}
