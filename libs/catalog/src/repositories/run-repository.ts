import type { Prisma, PrismaClient, RunStatus } from '../generated/prisma/client.js';

export type RunRecord = Prisma.RunGetPayload<object>;

export class RunRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findById(id: string): Promise<RunRecord | null> {
    return this.prisma.run.findUnique({ where: { id } });
  }

  list(filter: { sourceId?: string; status?: RunStatus; limit: number; before?: Date }): Promise<RunRecord[]> {
    return this.prisma.run.findMany({
      where: {
        sourceId: filter.sourceId,
        status: filter.status,
        createdAt: filter.before ? { lt: filter.before } : undefined,
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit,
    });
  }

  /** The outcome of a held run an operator applied (it holds no lease: it ended before). */
  finish(id: string, data: { status: RunStatus; stats: Prisma.InputJsonValue; error?: Prisma.InputJsonValue }): Promise<RunRecord> {
    return this.prisma.run.update({ where: { id }, data: { ...data, finishedAt: new Date() } });
  }

  /** The most recent run of the source that ended and changed (or could change) the catalog. */
  findLatestEnded(sourceId: string): Promise<RunRecord | null> {
    return this.prisma.run.findFirst({
      where: { sourceId, status: { in: ['succeeded', 'partial', 'held'] } },
      orderBy: [{ finishedAt: 'desc' }, { createdAt: 'desc' }],
    });
  }

  heldEntries(runId: string) {
    return this.prisma.heldEntry.findMany({ where: { runId } });
  }

  async discardHeld(runId: string, error: Prisma.InputJsonValue): Promise<RunRecord> {
    const [, run] = await this.prisma.$transaction([
      this.prisma.heldEntry.deleteMany({ where: { runId } }),
      this.prisma.run.update({ where: { id: runId }, data: { status: 'cancelled', error } }),
    ]);
    return run;
  }
}
