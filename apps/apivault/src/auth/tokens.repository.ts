import type { PrismaClient } from '#catalog';
import type { Role } from './roles.js';

export interface ApiTokenRecord {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  tokenHash: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export class TokensRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(data: { name: string; role: Role; prefix: string; tokenHash: string; createdBy: string; expiresAt: Date | null }): Promise<ApiTokenRecord> {
    return this.prisma.apiToken.create({ data });
  }

  findByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    return this.prisma.apiToken.findUnique({ where: { tokenHash } });
  }

  findById(id: string): Promise<ApiTokenRecord | null> {
    return this.prisma.apiToken.findUnique({ where: { id } });
  }

  findByName(name: string): Promise<ApiTokenRecord | null> {
    return this.prisma.apiToken.findUnique({ where: { name } });
  }

  /** Newest first; `limit` rows after the cursor position. */
  list(filter: { includeRevoked: boolean; limit: number; after?: { createdAt: Date; id: string } }): Promise<ApiTokenRecord[]> {
    return this.prisma.apiToken.findMany({
      where: {
        ...(filter.includeRevoked ? {} : { revokedAt: null }),
        ...(filter.after
          ? { OR: [{ createdAt: { lt: filter.after.createdAt } }, { createdAt: filter.after.createdAt, id: { lt: filter.after.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit,
    });
  }

  revoke(id: string, at: Date): Promise<ApiTokenRecord> {
    return this.prisma.apiToken.update({ where: { id }, data: { revokedAt: at } });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
  }
}
