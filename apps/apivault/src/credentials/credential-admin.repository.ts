import type { Prisma, PrismaClient } from '#catalog';

export type ManagedCredentialRecord = Prisma.CredentialGetPayload<{ include: { settings: true; sources: { select: { id: true; name: true } } } }>;

const withUse = { settings: true, sources: { select: { id: true, name: true }, orderBy: { name: 'asc' } } } as const;

/** The admin side of credentials: pages, deletion, who manages them. */
export class CredentialAdminRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findById(id: string): Promise<ManagedCredentialRecord | null> {
    return this.prisma.credential.findUnique({ where: { id }, include: withUse });
  }

  findByName(name: string): Promise<ManagedCredentialRecord | null> {
    return this.prisma.credential.findUnique({ where: { name }, include: withUse });
  }

  page(filter: { type?: string; afterName?: string; limit: number }): Promise<ManagedCredentialRecord[]> {
    return this.prisma.credential.findMany({
      where: { type: filter.type, name: filter.afterName !== undefined ? { gt: filter.afterName } : undefined },
      orderBy: { name: 'asc' },
      take: filter.limit,
      include: withUse,
    });
  }

  managedBy(manager: string): Promise<ManagedCredentialRecord[]> {
    return this.prisma.credential.findMany({ where: { settings: { managedBy: manager } }, include: withUse, orderBy: { name: 'asc' } });
  }

  async setManagedBy(credentialId: string, managedBy: string | null): Promise<void> {
    await this.prisma.credentialSettings.upsert({ where: { credentialId }, create: { credentialId, managedBy }, update: { managedBy } });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.credential.delete({ where: { id } });
  }
}
