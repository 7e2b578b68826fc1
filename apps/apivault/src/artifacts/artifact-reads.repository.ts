import type { PrismaClient } from '#catalog';

/** Reads of archived artifacts with the runs that fetched them. */
export class ArtifactReadsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The artifact and up to `runs` of the runs that fetched it, newest first. */
  findWithRuns(sha256: string, runs: number) {
    return this.prisma.artifact.findUnique({
      where: { sha256 },
      include: {
        runs: { take: runs, orderBy: { createdAt: 'desc' }, include: { run: { select: { sourceId: true, status: true } } } },
        _count: { select: { runs: true, versions: true } },
      },
    });
  }
}
