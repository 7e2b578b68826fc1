import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../http/app-errors.js';
import { decodeCursor, toPage, type Page } from '../http/cursor.js';
import { generateTokenSecret, hashTokenSecret, tokenPrefix } from './api-token-secret.js';
import type { Principal } from './principal.js';
import type { Role } from './roles.js';
import { TokensRepository, type ApiTokenRecord } from './tokens.repository.js';

/** What the API and the CLI show of a token: never the secret, never its hash. */
export interface TokenView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The one answer that carries the secret: the token is shown at creation and never again. */
export interface CreatedToken extends TokenView {
  token: string;
}

/** `last_used_at` is refreshed at most this often, so a busy token does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

const tokenCursor = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

@Injectable()
export class TokensService {
  constructor(private readonly tokens: TokensRepository) {}

  async create(request: { name?: string; role: Role; expiresAt?: Date | null; createdBy: string }): Promise<CreatedToken> {
    const secret = generateTokenSecret();
    const prefix = tokenPrefix(secret);
    const name = request.name ?? `${request.role}-${prefix.slice(4)}`;
    if (await this.tokens.findByName(name)) throw new ConflictError('TOKEN_NAME_TAKEN', `a token named ${name} already exists`, { name });
    const row = await this.tokens.create({ name, role: request.role, prefix, tokenHash: hashTokenSecret(secret), createdBy: request.createdBy, expiresAt: request.expiresAt ?? null });
    return { ...toTokenView(row), token: secret };
  }

  async list(filter: { includeRevoked: boolean; limit: number; cursor?: string }): Promise<Page<TokenView>> {
    const after = decodeCursor(tokenCursor, filter.cursor);
    const rows = await this.tokens.list({ includeRevoked: filter.includeRevoked, limit: filter.limit + 1, after: after && { createdAt: new Date(after.createdAt), id: after.id } });
    return toPage(rows, filter.limit, toTokenView, (row) => ({ createdAt: row.createdAt.toISOString(), id: row.id }));
  }

  async get(idOrName: string): Promise<TokenView> {
    return toTokenView(await this.find(idOrName));
  }

  /** Revokes at once; revoking a revoked token changes nothing. */
  async revoke(idOrName: string): Promise<TokenView> {
    const row = await this.find(idOrName);
    if (row.revokedAt) return toTokenView(row);
    return toTokenView(await this.tokens.revoke(row.id, new Date()));
  }

  /** The principal a bearer secret stands for, or null when it is unknown, revoked or expired. */
  async authenticate(secret: string, now = new Date()): Promise<Principal | null> {
    const row = await this.tokens.findByHash(hashTokenSecret(secret));
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // Bookkeeping only: a failed write must not fail the request.
      void this.tokens.touch(row.id, now).catch(() => undefined);
    }
    return { tokenId: row.id, name: row.name, role: row.role, prefix: row.prefix };
  }

  private async find(idOrName: string): Promise<ApiTokenRecord> {
    const byId = z.uuid().safeParse(idOrName).success ? await this.tokens.findById(idOrName) : null;
    const row = byId ?? (await this.tokens.findByName(idOrName));
    if (!row) throw new NotFoundError('token', idOrName);
    return row;
  }
}

function toTokenView(row: ApiTokenRecord): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
