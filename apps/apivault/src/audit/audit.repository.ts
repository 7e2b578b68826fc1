import type { Prisma, PrismaClient } from '#catalog';

export interface AuditEventInput {
  tokenId: string | null;
  actor: string;
  role: string | null;
  method: string;
  route: string;
  path: string;
  resourceId: string | null;
  ip: string | null;
  status: number;
  details?: Prisma.InputJsonValue;
}

export interface AuditEventFilter {
  tokenId?: string;
  actor?: string;
  method?: string;
  resourceId?: string;
  since?: Date;
  until?: Date;
  /** Only events older than this id (newest first paging). */
  beforeId?: bigint;
  limit: number;
}

export class AuditRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async record(event: AuditEventInput): Promise<void> {
    await this.prisma.auditEvent.create({ data: event });
  }

  list(filter: AuditEventFilter) {
    return this.prisma.auditEvent.findMany({
      where: {
        tokenId: filter.tokenId,
        actor: filter.actor,
        method: filter.method,
        resourceId: filter.resourceId,
        at: filter.since || filter.until ? { gte: filter.since, lt: filter.until } : undefined,
        id: filter.beforeId !== undefined ? { lt: filter.beforeId } : undefined,
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
    });
  }
}
