import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export type SourceRecord = Prisma.SourceGetPayload<object>;

export class SourceRepository {
  constructor(private readonly prisma: PrismaClient) {}

  list(): Promise<SourceRecord[]> {
    return this.prisma.source.findMany({ orderBy: { name: 'asc' } });
  }

  findById(id: string): Promise<SourceRecord | null> {
    return this.prisma.source.findUnique({ where: { id } });
  }

  findByName(name: string): Promise<SourceRecord | null> {
    return this.prisma.source.findUnique({ where: { name } });
  }

  create(data: { name: string; kind: string; config: Prisma.InputJsonValue; credentialId: string | null }): Promise<SourceRecord> {
    return this.prisma.source.create({ data });
  }

  update(id: string, data: { kind?: string; config?: Prisma.InputJsonValue; credentialId?: string | null; enabled?: boolean }): Promise<SourceRecord> {
    return this.prisma.source.update({ where: { id }, data });
  }
}
