import type { Prisma, PrismaClient } from '#catalog';

/** A source with what the admin API adds to it (who manages it, its schedule). */
export type ManagedSourceRecord = Prisma.SourceGetPayload<{ include: { settings: true; credential: { select: { name: true } } } }>;

const withSettings = { settings: true, credential: { select: { name: true } } } as const;

/** What the admin API sets on a source beside its definition (undefined = unchanged). */
export interface SourceSettingsPatch {
  managedBy?: string | null;
  schedule?: string | null;
  scheduleTimezone?: string | null;
  scheduleJitterSeconds?: number;
  schedulePaused?: boolean;
}

/** The admin side of sources: pages, renames, deletion, and the source_settings row. */
export class SourceAdminRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findById(id: string): Promise<ManagedSourceRecord | null> {
    return this.prisma.source.findUnique({ where: { id }, include: withSettings });
  }

  /** By name, `limit` rows after the cursor name. */
  page(filter: { kind?: string; enabled?: boolean; afterName?: string; limit: number }): Promise<ManagedSourceRecord[]> {
    return this.prisma.source.findMany({
      where: { kind: filter.kind, enabled: filter.enabled, name: filter.afterName !== undefined ? { gt: filter.afterName } : undefined },
      orderBy: { name: 'asc' },
      take: filter.limit,
      include: withSettings,
    });
  }

  listAll(): Promise<ManagedSourceRecord[]> {
    return this.prisma.source.findMany({ orderBy: { name: 'asc' }, include: withSettings });
  }

  rename(id: string, name: string): Promise<unknown> {
    return this.prisma.source.update({ where: { id }, data: { name } });
  }

  async setSettings(sourceId: string, settings: SourceSettingsPatch): Promise<void> {
    await this.prisma.sourceSettings.upsert({ where: { sourceId }, create: { sourceId, ...settings }, update: settings });
  }

  /** Runs and catalog items are history: a source that has any is kept (disable it instead). */
  async historyOf(sourceId: string): Promise<{ runs: number; items: number }> {
    const [runs, items] = await Promise.all([this.prisma.run.count({ where: { sourceId } }), this.prisma.catalogItem.count({ where: { sourceId } })]);
    return { runs, items };
  }

  async delete(id: string): Promise<void> {
    await this.prisma.source.delete({ where: { id } });
  }
}
