import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Put, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ArchiveObjectMissingError, type ArchiveStore } from '#archive';
import { Public, RequireRole } from '../auth/access.decorator.js';
import type { ApiRequest } from '../auth/request-access.js';
import { ARCHIVE_STORE } from '../core/tokens.js';
import { ApiErrorBody, ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { NotFoundError, ValidationError } from '../http/app-errors.js';
import { pageLimit, parseQuery } from '../http/query-params.js';
import { RETENTION_FIELDS } from './retention-policy.js';
import { SNAPSHOT_FILES } from './snapshot-files.js';
import { SnapshotPrunerService } from './snapshot-pruner.service.js';
import { SnapshotRetentionService } from './snapshot-retention.service.js';
import { SnapshotVerifierService } from './snapshot-verifier.service.js';
import { SnapshotService } from './snapshot.service.js';

const createBody = z.strictObject({ scope: z.strictObject({ sourceIds: z.array(z.string().min(1)).max(1000).optional() }).optional() });
const verifyBody = z.strictObject({ samplePercent: z.number().gt(0).max(100).optional(), seed: z.number().int().min(0).max(2 ** 31 - 1).optional() });
const retentionBody = z.strictObject(Object.fromEntries(RETENTION_FIELDS.map((field) => [field, z.number().int().min(0).max(1_000_000).nullable().optional()])));
const listQuery = z.object({ scope: z.string().optional(), limit: pageLimit, before: z.iso.datetime({ offset: true }).optional() });
const pruneQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true') });
const verifyQuery = z.object({ sample: z.coerce.number().gt(0).max(100).optional(), seed: z.coerce.number().int().min(0).optional() });
const CONTENT_TYPES: Record<string, string> = {
  [SNAPSHOT_FILES.manifest]: 'application/json',
  [SNAPSHOT_FILES.evidenceJson]: 'application/json',
  [SNAPSHOT_FILES.evidenceHtml]: 'text/html; charset=utf-8',
  [SNAPSHOT_FILES.publicKey]: 'application/x-pem-file',
  [SNAPSHOT_FILES.signature]: 'application/octet-stream',
};

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'body';
  throw new ValidationError(`body field ${field}: ${issue?.message ?? 'invalid'}`, { field });
}

/**
 * Compliance snapshots: take, list, verify, prune; the signing public key; the sealed files.
 * Viewers read, operators take and verify snapshots, admins set retention and prune; the public
 * key is open to anyone (auditors check signatures with it).
 */
@ApiTags('snapshots')
@ApiErrorBody()
@RequireRole('viewer')
@Controller('api/v1/snapshots')
export class SnapshotsController {
  constructor(
    private readonly snapshots: SnapshotService,
    private readonly verifier: SnapshotVerifierService,
    private readonly pruner: SnapshotPrunerService,
    private readonly retention: SnapshotRetentionService,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
  ) {}

  /** Takes a snapshot now: the whole catalog, or `scope.sourceIds` (names or ids). 201 with the sealed snapshot. */
  @Post()
  @HttpCode(201)
  @RequireRole('operator')
  @ApiZodBody(createBody)
  async create(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const request = parseBody(createBody, body);
    const snapshot = await this.snapshots.create({ sources: request.scope?.sourceIds, trigger: 'api' });
    response.setHeader('Location', `/api/v1/snapshots/${snapshot.id}`);
    return snapshot;
  }

  @Get()
  @ApiZodQuery(listQuery)
  list(@Query() query: unknown) {
    const q = parseQuery(listQuery, query);
    return this.snapshots.list({ scopeId: q.scope, limit: q.limit, before: q.before ? new Date(q.before) : undefined });
  }

  /** The Ed25519 public key that verifies every manifest (PEM, SubjectPublicKeyInfo). */
  @Get('public-key')
  @Public()
  @Header('Content-Type', 'application/x-pem-file')
  publicKey(@Res({ passthrough: true }) response: Response) {
    response.setHeader('X-Public-Key-Fingerprint', this.snapshots.publicKey.fingerprint);
    return this.snapshots.publicKey.pem;
  }

  /** Scopes that have snapshots, with their effective retention policies. */
  @Get('scopes')
  scopes() {
    return this.retention.list();
  }

  /** Overrides the default retention policy of one scope (null fields fall back to the defaults). */
  @Put('scopes/:scopeId/retention')
  @RequireRole('admin')
  @ApiZodBody(retentionBody)
  setRetention(@Param('scopeId') scopeId: string, @Body() body: unknown) {
    return this.retention.set(scopeId, parseBody(retentionBody, body));
  }

  /** Applies retention. Dry run unless `dryRun=false`: the answer lists what goes (or went). */
  @Post('prune')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiZodQuery(pruneQuery)
  prune(@Query() query: unknown, @Req() request: ApiRequest) {
    const q = parseQuery(pruneQuery, query);
    const principal = request.apivaultAccess?.principal;
    return this.pruner.prune({ dryRun: q.dryRun !== 'false', actor: principal ? { name: principal.name, tokenId: principal.tokenId, role: principal.role } : undefined });
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.snapshots.get(id);
  }

  /** Re-reads and re-hashes everything the snapshot references; `samplePercent` checks a seeded random share. */
  @Post(':id/verify')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiZodBody(verifyBody)
  @ApiZodQuery(verifyQuery)
  verify(@Param('id') id: string, @Body() body: unknown, @Query() query: unknown) {
    const b = parseBody(verifyBody, body);
    const q = parseQuery(verifyQuery, query);
    return this.verifier.verify(id, { samplePercent: b.samplePercent ?? q.sample, seed: b.seed ?? q.seed, trigger: 'api' });
  }

  /** One sealed file, byte for byte: manifest.json, manifest.sig, public-key.pem, evidence.json, evidence.html. */
  @Get(':id/files/:name')
  async file(@Param('id') id: string, @Param('name') name: string, @Res({ passthrough: true }) response: Response) {
    const snapshot = await this.snapshots.get(id);
    const file = snapshot.files[name];
    if (!file || !CONTENT_TYPES[name] || snapshot.status === 'pruned') throw new NotFoundError('snapshot file', `${id}/${name}`);
    const bytes = await this.archive.readSealed(file.key).catch((error: unknown) => {
      throw error instanceof ArchiveObjectMissingError ? new NotFoundError('snapshot file', `${id}/${name} (${file.key} is not in the archive)`) : error;
    });
    response.setHeader('X-Sealed-Sha256', file.sha256);
    return new StreamableFile(bytes, { type: CONTENT_TYPES[name] });
  }
}

