import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

/** Installation-wide values shared by every replica. */
export class SettingsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get<T extends Prisma.JsonValue>(key: string): Promise<T | null> {
    const row = await this.prisma.setting.findUnique({ where: { key } });
    return (row?.value as T | undefined) ?? null;
  }

  /** Inserts the value unless one exists, then returns the stored one: first writer wins. */
  async getOrCreate<T extends Prisma.JsonValue>(key: string, create: () => T): Promise<T> {
    await this.prisma.setting.createMany({ data: [{ key, value: create() as Prisma.InputJsonValue }], skipDuplicates: true });
    return (await this.get<T>(key)) as T;
  }
}
