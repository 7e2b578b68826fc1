import type { Prisma, PrismaClient, RunStatus } from '../generated/prisma/client.js';

export type RunRecord = Prisma.RunGetPayload<object>;

export class RunRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(data: { sourceId: string; slot: string; trigger: string }): Promise<RunRecord> {
    return this.prisma.run.create({ data: { ...data, status: 'running', startedAt: new Date() } });
  }

  findActiveForSource(sourceId: string): Promise<RunRecord | null> {
    return this.prisma.run.findFirst({ where: { sourceId, status: { in: ['queued', 'running'] } } });
  }

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

  updateStats(id: string, stats: Prisma.InputJsonValue): Promise<unknown> {
    return this.prisma.run.update({ where: { id }, data: { stats } });
  }

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

  /** Runs left `running` by a process that died: they can never finish, so they are failed. */
  failOrphans(message: string): Promise<Prisma.BatchPayload> {
    return this.prisma.run.updateMany({
      where: { status: { in: ['queued', 'running'] } },
      data: { status: 'failed', finishedAt: new Date(), error: { stage: 'engine', code: 'ORPHANED', message } },
    });
  }
}
